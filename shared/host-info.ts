import { readFileSync, statSync } from 'node:fs';
import { cpus, hostname, totalmem } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The host and runtime a refswarm process runs on, for run.json `environment`: CPUs, memory, Node,
 * refswarm's version and, when the sources are a git checkout, their commit. Read once per process;
 * nothing here names a connection or a secret.
 */

export interface HostInfo {
  readonly host: string;
  readonly cpus: number;
  readonly cpuModel?: string;
  readonly memoryBytes: number;
  readonly nodeVersion: string;
  readonly refswarmVersion: string;
  readonly gitCommit?: string;
}

const SOURCE_ROOT = fileURLToPath(new URL('../', import.meta.url));

let cached: HostInfo | undefined;

export function hostInfo(): HostInfo {
  if (cached) return cached;
  const processors = cpus();
  const model = processors[0]?.model.trim();
  const commit = gitCommitOf(SOURCE_ROOT);
  cached = {
    host: hostname(),
    cpus: processors.length,
    ...(model ? { cpuModel: model } : {}),
    memoryBytes: totalmem(),
    nodeVersion: process.version,
    refswarmVersion: (JSON.parse(readFileSync(join(SOURCE_ROOT, 'package.json'), 'utf8')) as { version: string }).version,
    ...(commit === undefined ? {} : { gitCommit: commit }),
  };
  return cached;
}

/**
 * The commit HEAD points at, read from the files without running git (a docker image has neither git
 * nor .git: undefined). Follows a worktree's `gitdir:` file, a symbolic ref, and packed refs.
 */
export function gitCommitOf(root: string): string | undefined {
  try {
    const dotGit = join(root, '.git');
    const gitDir = statSync(dotGit).isDirectory() ? dotGit : linkedGitDir(dotGit);
    const commonDir = commonDirOf(gitDir);
    const head = readFileSync(join(gitDir, 'HEAD'), 'utf8').trim();
    if (!head.startsWith('ref:')) return commitOrUndefined(head);
    const ref = head.slice('ref:'.length).trim();
    for (const dir of [gitDir, commonDir]) {
      try {
        return commitOrUndefined(readFileSync(join(dir, ref), 'utf8').trim());
      } catch {
        // Not a loose ref here: try the next place.
      }
    }
    const packed = readFileSync(join(commonDir, 'packed-refs'), 'utf8');
    for (const line of packed.split('\n')) {
      const [hash, name] = line.trim().split(' ');
      if (name === ref) return commitOrUndefined(hash);
    }
    return undefined;
  } catch {
    return undefined;
  }
}

function linkedGitDir(dotGitFile: string): string {
  const line = readFileSync(dotGitFile, 'utf8').trim();
  if (!line.startsWith('gitdir:')) throw new Error('not a git link');
  const path = line.slice('gitdir:'.length).trim();
  return isAbsolute(path) ? path : join(dirname(dotGitFile), path);
}

function commonDirOf(gitDir: string): string {
  try {
    const path = readFileSync(join(gitDir, 'commondir'), 'utf8').trim();
    return isAbsolute(path) ? path : join(gitDir, path);
  } catch {
    return gitDir;
  }
}

function commitOrUndefined(text: string | undefined): string | undefined {
  return text !== undefined && /^[0-9a-f]{40}([0-9a-f]{24})?$/.test(text) ? text : undefined;
}
