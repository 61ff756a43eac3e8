// Tests assert on warnings through result.warnings; the AI SDK's console copy is noise here.
(globalThis as { AI_SDK_LOG_WARNINGS?: boolean }).AI_SDK_LOG_WARNINGS = false;
