import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/**
 * Whether this process is in the foreground process group of its controlling terminal: then
 * Ctrl-C, Ctrl-\ and a hang-up reach every process of the group, the command `exec` runs
 * included. Linux says so in /proc; elsewhere `ps` does. False when it cannot be told.
 */
export function inTerminalForeground(pid = process.pid): boolean {
  if (process.platform === 'linux') {
    try {
      return foregroundFromProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
    } catch {
      return false;
    }
  }
  const answer = spawnSync('ps', ['-o', 'pgid=,tpgid=', '-p', String(pid)], {
    encoding: 'utf8',
    timeout: 2000,
  });
  if (answer.status !== 0) return false;
  const [pgid, tpgid] = answer.stdout.trim().split(/\s+/).map(Number);
  return isForeground(pgid, tpgid);
}

/**
 * /proc/<pid>/stat: "pid (comm) state ppid pgrp session tty_nr tpgid ...". The command name may
 * hold spaces and parentheses, so the fields are counted from its last `)`.
 */
export function foregroundFromProcStat(stat: string): boolean {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return isForeground(Number(fields[2]), Number(fields[5]));
}

/** tpgid is -1 (or 0 on some systems) without a controlling terminal. */
function isForeground(pgrp: number | undefined, tpgid: number | undefined): boolean {
  return Number.isInteger(pgrp) && Number.isInteger(tpgid) && tpgid! > 0 && tpgid === pgrp;
}
