/**
 * "1h 05m", "4m 09s", "12s": how long until something happens, readable at a glance.
 * Negative or zero durations read "expired".
 */
export function formatTimeLeft(milliseconds: number): string {
  if (milliseconds <= 0) return 'expired';
  const totalSeconds = Math.floor(milliseconds / 1000);
  const days = Math.floor(totalSeconds / 86_400);
  const hours = Math.floor((totalSeconds % 86_400) / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  if (days > 0) return `${days}d ${hours}h`;
  if (hours > 0) return `${hours}h ${pad(minutes)}m`;
  if (minutes > 0) return `${minutes}m ${pad(seconds)}s`;
  return `${seconds}s`;
}

function pad(value: number): string {
  return value.toString().padStart(2, '0');
}

/** "12s", "4m 09s": how long something has been going on (under a second reads "0s"). */
export function formatElapsed(milliseconds: number): string {
  return milliseconds < 1000 ? '0s' : formatTimeLeft(milliseconds);
}
