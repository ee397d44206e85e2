// Test harness for the D implementation: runs dtrace(1)'s driver over in-memory scripts with the
// dtrace provider's probes and on-demand profile probes on a simulated clock.
import { runDtrace } from '../../src/dtrace/cli.js';
import { ListCatalog, dtraceProviderProbes, type ProbeInfo } from '../../src/dtrace/catalog.js';

export interface RunResult {
  status: number;
  stdout: string;
  stderr: string;
}

export function runD(argv: string[], files: Record<string, string> = {}, extraProbes: ProbeInfo[] = []): RunResult {
  let stdout = '';
  let stderr = '';
  const status = runDtrace(argv, {
    catalog: new ListCatalog([...dtraceProviderProbes(), ...extraProbes]),
    stdout: (t) => { stdout += t; },
    stderr: (t) => { stderr += t; },
    readFile: (p) => {
      const f = files[p];
      if (f === undefined) throw new Error('ENOENT');
      return f;
    },
  });
  return { status, stdout, stderr };
}
