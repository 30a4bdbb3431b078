/** The Python that runs the oracle: python3 with PyYAML (.ci/run makes sure there is one). */
import { spawnSync } from 'node:child_process';

export function findPython(): string {
  for (const p of [process.env.FINPROC_PYTHON, 'python3', '/usr/bin/python3'].filter(Boolean) as string[]) {
    const r = spawnSync(p, ['-c', 'import yaml, fractions'], { encoding: 'utf8' });
    if (r.status === 0) return p;
  }
  throw new Error('no python3 with PyYAML found: run .ci/run, or apt-get install python3-yaml');
}
