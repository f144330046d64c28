import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { PROJECT_ROOT } from '../../server/config.js';
import { databaseEnvOf } from './test-database.js';

/** Runs `lms <args>` as a real child process against a data folder, as an operator would. */
export function runCli(dataDir: string, args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'server/cli.ts'), ...args], {
    cwd: PROJECT_ROOT, encoding: 'utf8', env: { ...process.env, LMS_DATA_DIR: dataDir, LMS_LOG_LEVEL: 'silent', ...databaseEnvOf(dataDir), ...env }, timeout: 120_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** As runCli, without blocking this process: for commands that talk to servers the test runs in-process (SMTP). */
export function runCliAsync(dataDir: string, args: string[], env: Record<string, string> = {}): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'server/cli.ts'), ...args], {
    cwd: PROJECT_ROOT, env: { ...process.env, LMS_DATA_DIR: dataDir, LMS_LOG_LEVEL: 'silent', ...databaseEnvOf(dataDir), ...env }, timeout: 120_000,
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
  child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (status) => resolve({ status, stdout, stderr }));
  });
}
