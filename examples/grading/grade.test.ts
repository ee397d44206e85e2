// Grades every submission in submissions/ against the specification in spec.ts:
//   npx vitest run examples/grading   (one describe block per student, one test per requirement)
import { readdirSync, readFileSync } from 'node:fs';
import { specify } from './spec.js';

const dir = new URL('./submissions/', import.meta.url).pathname;
for (const file of readdirSync(dir).filter((f) => f.endsWith('.c')).sort()) {
  specify(file.replace(/\.c$/, ''), readFileSync(dir + file, 'utf8'));
}
