#!/usr/bin/env node
// The `tourdesk` command: runs the TypeScript CLI through tsx, which ships as a dependency.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
