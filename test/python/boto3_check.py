"""boto3 against the emulator that `npx ai-sdk-bedrock-cache emulator` started.

Reads the endpoint, credentials and region from the environment the CLI prints
(AWS_ENDPOINT_URL_BEDROCK_RUNTIME, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_DEFAULT_REGION), sends
Converse (write, then read), ConverseStream, InvokeModel (write, read, stream) and a request
Bedrock rejects (five checkpoints), checks the cache figures, and prints one JSON document:
each call's operation, model, wire body and usage (or error), so test/cli-boto3.test.ts can
replay the same bodies on the library API and compare.

Needs a boto3 whose botocore knows bedrock-runtime's Converse (botocore 1.34.116 or later).
Usage: python3 test/python/boto3_check.py
"""
import json
import os
import sys

import boto3
from botocore.exceptions import ClientError

MODEL = "us.anthropic.claude-sonnet-4-5-20250929-v1:0"
# Above Sonnet 4.5's 1,024-token minimum, so the checkpoint caches
SYSTEM = "You are the support assistant of an online shop. " + " ".join(
    f"Policy {i}: orders ship within two days and returns are free within 30 days." for i in range(120)
)

# Configured by the environment alone, as a user's shell would after the CLI's exports
# (botocore reads AWS_ENDPOINT_URL_BEDROCK_RUNTIME, AWS_DEFAULT_REGION and the key pair)
assert os.environ.get("AWS_ENDPOINT_URL_BEDROCK_RUNTIME"), "run under the environment the CLI prints"
client = boto3.client("bedrock-runtime")
calls = []


def converse_usage(usage):
    return {key: usage.get(key, 0) for key in ("inputTokens", "outputTokens", "cacheReadInputTokens", "cacheWriteInputTokens")}


def anthropic_usage(usage):
    return {
        "inputTokens": usage["input_tokens"],
        "outputTokens": usage["output_tokens"],
        "cacheReadInputTokens": usage.get("cache_read_input_tokens", 0),
        "cacheWriteInputTokens": usage.get("cache_creation_input_tokens", 0),
    }


def converse(name, **params):
    response = client.converse(modelId=MODEL, **params)
    usage = converse_usage(response["usage"])
    calls.append({"name": name, "operation": "Converse", "modelId": MODEL, "body": params, "usage": usage})
    return response, usage


def converse_stream(name, **params):
    response = client.converse_stream(modelId=MODEL, **params)
    text, usage = "", None
    for event in response["stream"]:
        text += event.get("contentBlockDelta", {}).get("delta", {}).get("text", "")
        if "metadata" in event:
            usage = converse_usage(event["metadata"]["usage"])
    calls.append({"name": name, "operation": "ConverseStream", "modelId": MODEL, "body": params, "usage": usage, "text": text})
    return usage


def invoke(name, body, stream=False):
    raw = json.dumps(body)
    if not stream:
        response = client.invoke_model(modelId=MODEL, body=raw, contentType="application/json")
        usage = anthropic_usage(json.loads(response["body"].read())["usage"])
    else:
        response = client.invoke_model_with_response_stream(modelId=MODEL, body=raw, contentType="application/json")
        usage = {}
        for event in response["body"]:
            chunk = json.loads(event["chunk"]["bytes"])
            if chunk["type"] == "message_start":
                usage = anthropic_usage(chunk["message"]["usage"])
            elif chunk["type"] == "message_delta":
                usage["outputTokens"] = chunk["usage"]["output_tokens"]
    operation = "InvokeModelWithResponseStream" if stream else "InvokeModel"
    calls.append({"name": name, "operation": operation, "modelId": MODEL, "body": body, "usage": usage})
    return usage


def check(condition, message):
    if not condition:
        print(f"boto3 check failed: {message}\n{json.dumps(calls, indent=2)}", file=sys.stderr)
        sys.exit(1)


# Converse: the first call writes the system prompt, the second reads all of it
system = [{"text": SYSTEM}, {"cachePoint": {"type": "default"}}]
question = {"role": "user", "content": [{"text": "What is the return window?"}]}
first, written = converse("converse-write", system=system, messages=[question])
_, read = converse("converse-read", system=system, messages=[question])
check(written["cacheWriteInputTokens"] > 1024 and written["cacheReadInputTokens"] == 0, f"first Converse should write: {written}")
check(read["cacheReadInputTokens"] == written["cacheWriteInputTokens"], f"second Converse should read what the first wrote: {read}")

# ConverseStream, a second turn: reads the system prompt again
answer = first["output"]["message"]
follow_up = {"role": "user", "content": [{"text": "And for shoes?"}, {"cachePoint": {"type": "default"}}]}
streamed = converse_stream("converse-stream", system=system, messages=[question, answer, follow_up])
check(streamed is not None and streamed["cacheReadInputTokens"] >= written["cacheWriteInputTokens"], f"ConverseStream should read: {streamed}")

# InvokeModel (Anthropic Messages body): write, read, and the streamed variant reads too
anthropic_body = {
    "anthropic_version": "bedrock-2023-05-31",
    "max_tokens": 200,
    "system": [{"type": "text", "text": SYSTEM, "cache_control": {"type": "ephemeral"}}],
    "messages": [{"role": "user", "content": [{"type": "text", "text": "What is the return window?"}]}],
}
invoke_written = invoke("invoke-write", anthropic_body)
invoke_read = invoke("invoke-read", anthropic_body)
invoke_streamed = invoke("invoke-stream", anthropic_body, stream=True)
check(invoke_written["cacheWriteInputTokens"] > 1024, f"first InvokeModel should write: {invoke_written}")
check(invoke_read["cacheReadInputTokens"] == invoke_written["cacheWriteInputTokens"], f"second InvokeModel should read: {invoke_read}")
check(invoke_streamed["cacheReadInputTokens"] == invoke_written["cacheWriteInputTokens"], f"streamed InvokeModel should read: {invoke_streamed}")

# Rejected: five checkpoints (Bedrock allows four)
point = {"cachePoint": {"type": "default"}}
five = {
    "system": [{"text": SYSTEM}, point, {"text": "Be brief."}, point, {"text": "Be kind."}, point],
    "messages": [{"role": "user", "content": [{"text": "Hi"}, point, {"text": "there"}, point]}],
}
try:
    client.converse(modelId=MODEL, **five)
    check(False, "five checkpoints should be rejected")
except ClientError as error:
    details = {
        "code": error.response["Error"]["Code"],
        "message": error.response["Error"]["Message"],
        "status": error.response["ResponseMetadata"]["HTTPStatusCode"],
    }
    calls.append({"name": "five-checkpoints", "operation": "Converse", "modelId": MODEL, "body": five, "error": details})
    check(details["code"] == "ValidationException" and details["status"] == 400, f"expected a 400 ValidationException: {details}")
    check("A maximum of 4 blocks with cache_control may be provided. Found 5." in details["message"], f"Bedrock's text: {details}")

print(json.dumps({"boto3": boto3.__version__, "calls": calls}))
