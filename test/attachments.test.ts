/**
 * Attachments at the end of the last message, as a chat app with uploads sends them: every
 * document and image media type the installed provider converts, alone and mixed, on both
 * APIs, generate and stream. Bedrock rejects a Converse checkpoint right after a document it
 * extracts as text (`messages.N.content.M.type: Field required`: aws/aws-sdk-java-v2 #6277,
 * strands-agents/harness-sdk #1966) and one with only documents before it in its message
 * ("nothing available to cache": opencode #17300). Each body is also checked by the
 * emulator's validator (test/support/mock-bedrock.ts).
 */
import { generateText, streamText, wrapLanguageModel, type ModelMessage } from 'ai';
import { describe, expect, it } from 'vitest';
import { bedrockCacheMiddleware } from '../src';
import { history, LONG_SYSTEM, SONNET } from './support/fixtures';
import { cacheControlsOf, cachePointsOf, useMockBedrock } from './support/mock-bedrock';
import { providerDocumentMediaTypes, providerImageMediaTypes, providerVideoMediaTypes } from './support/provider-source';
import { LOADED } from './support/versions';

const mock = useMockBedrock();
const documents = providerDocumentMediaTypes();
const textDocumentTypes = Object.keys(documents).filter((type) => documents[type] !== 'pdf');
const imageTypes = providerImageMediaTypes();
const videoTypes = providerVideoMediaTypes();
const bytes = new TextEncoder().encode('a,b\n1,2\n');

const file = (mediaType: string, filename?: string) => ({ type: 'file' as const, mediaType, data: bytes, ...(filename && { filename }) });
const text = (value: string) => ({ type: 'text' as const, text: value });
type Part = ReturnType<typeof file> | ReturnType<typeof text>;

async function send(op: 'generate' | 'stream', api: 'converse' | 'invoke', last: Part[]) {
  const model = wrapLanguageModel({
    model: api === 'converse' ? mock.bedrock(SONNET) : mock.anthropic(SONNET),
    middleware: bedrockCacheMiddleware(),
  });
  const messages: ModelMessage[] = [...history(1), { role: 'user', content: last }];
  if (op === 'generate') return (await generateText({ model, system: LONG_SYSTEM, messages, maxRetries: 0 })).warnings;
  const result = streamText({ model, system: LONG_SYSTEM, messages, maxRetries: 0, onError: () => {} });
  await result.consumeStream();
  return result.warnings;
}

/** The two document rules, checked on a Converse body independently of the emulator. */
function documentRuleViolations(body: Record<string, any>): string[] {
  const violations: string[] = [];
  body.messages.forEach((message: any, m: number) => {
    message.content.forEach((block: any, i: number) => {
      if (!block.cachePoint) return;
      const before = message.content.slice(0, i).filter((b: any) => !b.cachePoint);
      const previous = before.at(-1);
      if (previous?.document && previous.document.format !== 'pdf') violations.push(`messages[${m}][${i}] right after a ${previous.document.format} document`);
      if (before.length > 0 && before.every((b: any) => b.document)) violations.push(`messages[${m}][${i}] after documents only`);
    });
  });
  return violations;
}

/** The last message's blocks as kinds: text, image, document:<format>, cachePoint. */
const lastMessageShape = (body: Record<string, any>): string[] =>
  body.messages.at(-1).content.map((b: any) => (b.text !== undefined ? 'text' : b.image ? 'image' : b.video ? 'video' : b.document ? `document:${b.document.format}` : b.cachePoint ? 'cachePoint' : '?'));

describe.each(['generate', 'stream'] as const)('attachments on Converse (%s)', (op) => {
  it.each(textDocumentTypes)('%s after the text: the checkpoint goes before the document', async (mediaType) => {
    await send(op, 'converse', [text('Summarise the attached file.'), file(mediaType, 'data.file')]);
    const body = mock.last();
    expect(documentRuleViolations(body)).toEqual([]);
    expect(lastMessageShape(body)).toEqual(['text', 'cachePoint', `document:${documents[mediaType]}`]);
  });

  it.each(textDocumentTypes)('%s alone: the checkpoint goes on the previous message', async (mediaType) => {
    await send(op, 'converse', [file(mediaType)]);
    const body = mock.last();
    expect(documentRuleViolations(body)).toEqual([]);
    expect(lastMessageShape(body)).toEqual([`document:${documents[mediaType]}`]);
    expect(cachePointsOf(body).map((p) => p.at)).toEqual(['system[1]', 'messages[1][1]']);
  });

  it('a PDF after the text takes the checkpoint after it', async () => {
    await send(op, 'converse', [text('Read this.'), file('application/pdf')]);
    expect(lastMessageShape(mock.last())).toEqual(['text', 'document:pdf', 'cachePoint']);
  });

  it('a PDF alone is only a document: the checkpoint goes on the previous message', async () => {
    await send(op, 'converse', [file('application/pdf')]);
    const body = mock.last();
    expect(documentRuleViolations(body)).toEqual([]);
    expect(lastMessageShape(body)).toEqual(['document:pdf']);
    expect(cachePointsOf(body).map((p) => p.at)).toEqual(['system[1]', 'messages[1][1]']);
  });

  it.each(imageTypes)('%s, alone or after text, takes the checkpoint after it', async (mediaType) => {
    await send(op, 'converse', [file(mediaType)]);
    expect(lastMessageShape(mock.last())).toEqual(['image', 'cachePoint']);
    await send(op, 'converse', [text('What is this?'), file(mediaType)]);
    expect(lastMessageShape(mock.last())).toEqual(['text', 'image', 'cachePoint']);
  });

  // provider 5 sends video/* file parts as `video` blocks (provider 4 has no video): media, not documents
  it.runIf(LOADED.amazonBedrock >= 5).each(videoTypes)('%s after the text takes the checkpoint after it', async (mediaType) => {
    await send(op, 'converse', [text('What happens here?'), file(mediaType)]);
    expect(lastMessageShape(mock.last())).toEqual(['text', 'video', 'cachePoint']);
  });

  it('mixed: text, PDF, CSV → the checkpoint sits after the PDF', async () => {
    await send(op, 'converse', [text('Compare these.'), file('application/pdf'), file('text/csv')]);
    expect(lastMessageShape(mock.last())).toEqual(['text', 'document:pdf', 'cachePoint', 'document:csv']);
    expect(documentRuleViolations(mock.last())).toEqual([]);
  });

  it('mixed: CSV, then the question → the checkpoint closes the message', async () => {
    await send(op, 'converse', [file('text/csv'), text('What is the total?')]);
    expect(lastMessageShape(mock.last())).toEqual(['document:csv', 'text', 'cachePoint']);
  });

  it('mixed: two text documents, then an image → after the image', async () => {
    await send(op, 'converse', [text('Here'), file('text/markdown'), file('text/html'), file('image/png')]);
    expect(lastMessageShape(mock.last())).toEqual(['text', 'document:md', 'document:html', 'image', 'cachePoint']);
  });

  it('every media type at once, in the order a drop zone gives them', async () => {
    const all = [...Object.keys(documents), ...imageTypes].map((type) => file(type));
    await send(op, 'converse', [text('All of these.'), ...all]);
    const body = mock.last();
    expect(documentRuleViolations(body)).toEqual([]);
    expect(cachePointsOf(body).some((p) => p.at.startsWith(`messages[${body.messages.length - 1}]`))).toBe(true);
  });
});

describe.each(['generate', 'stream'] as const)('attachments on InvokeModel (%s)', (op) => {
  // The /anthropic provider sends images, PDFs and text/plain as blocks that carry
  // cache_control themselves (Anthropic caches documents and images; no Bedrock report of
  // a rejection was found), so the checkpoint stays on the last block.
  it.each(['application/pdf', 'text/plain', ...imageTypes])('%s at the end of the last message', async (mediaType) => {
    await send(op, 'invoke', [text('Look.'), file(mediaType)]);
    const body = mock.last();
    const lastMessage = body.messages.length - 1;
    expect(cacheControlsOf(body).map((p) => p.at)).toEqual(['system[0]', 'messages[1][0]', `messages[${lastMessage}][1]`]);
  });
});
