import { Notification } from 'electron';
import type { Core } from '../core/core';
import type { Settings } from '../core/settings/settings';
import { DEFAULT_WARN_BEFORE_MINUTES } from '../../src-shared/settings';
import { notificationsDue, type Notice } from './models/notifications';

/** Checks twice a minute, so a 2-minute warning is never late by more than 30 s. */
const CHECK_INTERVAL_MS = 30_000;

/**
 * Some desktops never report that a notification left the screen, so the held ones are capped;
 * at a few notices a day, the oldest dropped is weeks old.
 */
const MAX_HELD_NOTIFICATIONS = 100;

/** Shows what `notificationsDue` says is due, once each; clicks go to `onClick`. */
export function setupNotifications(deps: {
  core: Core;
  /** Read on every check, so a change in the settings panel applies at once. */
  settings: () => Settings;
  onClick: (notice: Notice) => void;
}): {
  stop(): void;
} {
  let sent = new Set<string>();
  // Electron drops a Notification nobody references, and with it the click; so each is held
  // here until it was clicked, closed or could not be shown.
  const live = new Set<Notification>();
  const check = async () => {
    const wanted = deps.settings().notifications;
    if (!Notification.isSupported() || wanted?.enabled === false) return;
    const sessions = await deps.core.api.listSessions(undefined).catch(() => []);
    const result = notificationsDue({
      snapshot: deps.core.broker.snapshot(),
      sessions,
      now: deps.core.clock.now(),
      warnBeforeMs: (wanted?.beforeMinutes ?? DEFAULT_WARN_BEFORE_MINUTES).map(
        (minutes) => minutes * 60_000,
      ),
      sent,
    });
    sent = result.sent;
    for (const notice of result.notices) {
      const notification = new Notification({ title: notice.title, body: notice.body });
      const release = () => live.delete(notification);
      notification.on('click', () => {
        release();
        deps.onClick(notice);
      });
      notification.on('close', release);
      notification.on('failed', release);
      live.add(notification);
      if (live.size > MAX_HELD_NOTIFICATIONS) live.delete(live.values().next().value!);
      notification.show();
    }
  };
  const onChanged = () => void check();
  deps.core.broker.on('changed', onChanged);
  const timer = setInterval(onChanged, CHECK_INTERVAL_MS);
  return {
    stop() {
      clearInterval(timer);
      deps.core.broker.off('changed', onChanged);
      live.clear();
    },
  };
}
