#!/usr/bin/env node
// The ksim command line: one oclif binary; every command is a thin file in dist/commands/.
import { execute } from '@oclif/core';

await execute({ dir: import.meta.url });
