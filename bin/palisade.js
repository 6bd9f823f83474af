#!/usr/bin/env node
// Entry point of the `palisade` command: registers tsx so the TypeScript
// sources run without a build step, then hands over to the CLI.
import { register } from 'tsx/esm/api';

// The SDK clients palisade's own commands use warn on every start that SDK
// releases after January 2027 need Node.js 22; palisade runs on Node.js 20.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
register();
await import('../src/cli/main.ts');
