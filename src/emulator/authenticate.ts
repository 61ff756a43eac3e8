import { AwsV4Signer } from 'aws4fetch';
import { BEDROCK_ERROR_TEXT as T, failure } from './errors.js';
import type { EmulatorCredentials, ValidationFailure } from './types.js';

/** Service name in the SigV4 credential scope of bedrock-runtime (both SDKs sign with it). */
const SIGNING_SERVICE = 'bedrock';

/** An authentication failure; `bodyKey` is the JSON key Bedrock uses for the message. */
export type AuthFailure = ValidationFailure & { bodyKey: 'message' | 'Message' };

/** What the emulator accepts. */
export interface AuthConfig {
  credentials: readonly EmulatorCredentials[];
  apiKeys: readonly string[];
}

const AUTH_HEADER = /^AWS4-HMAC-SHA256 Credential=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]+)$/;

const deny = (message: string, errorType: string, status = 403, bodyKey: 'message' | 'Message' = 'message'): AuthFailure => ({
  ...failure(message, errorType, status),
  bodyKey,
});

/** Canonical value of a signed header as SigV4 defines it (trimmed, inner whitespace folded). */
function canonicalHeaderValue(request: Request, url: URL, name: string): string | undefined {
  // `:authority` is what the AWS SDK signs over HTTP/2; the server layer passes it as `host`.
  if (name === 'host' || name === ':authority') return request.headers.get('host') ?? url.host;
  const value = request.headers.get(name);
  return value === null ? undefined : value.trim().replace(/\s+/g, ' ');
}

/**
 * Verifies a SigV4-signed request: parses `Authorization`, finds the credentials of its key
 * id, and recomputes the signature with aws4fetch's `AwsV4Signer` over exactly the
 * `SignedHeaders` the request lists (the AWS SDK signs `host` or, over HTTP/2, `:authority`,
 * plus `x-amz-content-sha256`, `x-amz-user-agent`, `amz-sdk-*` …; @ai-sdk/amazon-bedrock signs
 * `host;x-amz-date`). Path encoding is aws4fetch's (each segment URI-encoded again), which is
 * what both clients sign. The payload hash is recomputed from the received body, so a
 * changed body fails. Clock skew is not checked (tests move the clock).
 */
async function verifySigV4(
  request: Request,
  body: Uint8Array<ArrayBuffer>,
  authorization: string,
  credentials: readonly EmulatorCredentials[],
): Promise<AuthFailure | undefined> {
  const match = AUTH_HEADER.exec(authorization);
  if (!match) return deny(`Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters.`, 'IncompleteSignatureException', 400);
  const [, credential = '', signedHeaderList = '', signature = ''] = match;
  const [accessKeyId = '', date = '', region = '', service = ''] = credential.split('/');
  const account = credentials.find((c) => c.accessKeyId === accessKeyId);
  if (!account) return deny(T.unrecognizedClient, 'UnrecognizedClientException');
  if (account.sessionToken !== undefined && request.headers.get('x-amz-security-token') !== account.sessionToken) {
    return deny(T.unrecognizedClient, 'UnrecognizedClientException');
  }
  if (service !== SIGNING_SERVICE) return deny(T.wrongService(SIGNING_SERVICE), 'InvalidSignatureException');
  const datetime = request.headers.get('x-amz-date') ?? '';
  if (!datetime.startsWith(date)) return deny(T.invalidSignature, 'InvalidSignatureException');

  const url = new URL(request.url);
  const signedHeaders = signedHeaderList.split(';');
  const canonicalLines: string[] = [];
  for (const name of signedHeaders) {
    const value = canonicalHeaderValue(request, url, name);
    if (value === undefined) return deny(T.invalidSignature, 'InvalidSignatureException');
    canonicalLines.push(`${name}:${value}`);
  }

  const signer = new AwsV4Signer({
    url: request.url,
    method: request.method,
    body,
    accessKeyId: account.accessKeyId,
    secretAccessKey: account.secretAccessKey,
    region,
    service,
    datetime,
  });
  // Recompute over the request's own header list rather than aws4fetch's choice of headers.
  signer.signedHeaders = signedHeaders.join(';');
  signer.canonicalHeaders = canonicalLines.join('\n');
  const expected = await signer.signature();
  return expected === signature ? undefined : deny(T.invalidSignature, 'InvalidSignatureException');
}

/**
 * Authenticates a request (SigV4 or `Authorization: Bearer <API key>`). With no credentials and
 * no API keys configured, everything is accepted. Returns the failure to answer, if any.
 */
export async function authenticate(
  request: Request,
  body: Uint8Array<ArrayBuffer>,
  config: AuthConfig,
): Promise<AuthFailure | undefined> {
  if (config.credentials.length === 0 && config.apiKeys.length === 0) return undefined;
  const authorization = request.headers.get('authorization');
  if (!authorization) return deny(T.missingAuth, 'MissingAuthenticationTokenException');
  if (/^Bearer /i.test(authorization)) {
    const token = authorization.slice('Bearer '.length).trim();
    // Seen in the wild: a wrong key answers 403 with a capitalised `Message` (approx. error type).
    return config.apiKeys.includes(token) ? undefined : deny(T.invalidApiKey, 'AccessDeniedException', 403, 'Message');
  }
  return verifySigV4(request, body, authorization, config.credentials);
}
