import { useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { ProfileInfo } from '../../src-shared/profile';
import { profileChainWords } from '../../src-shared/profile-chain';
import { groupByAccount } from './accounts';
import { loadProfile, openConsole } from './actions';
import { Chip } from './design/Chip';
import {
  CollapsedIcon,
  ConsoleIcon,
  ExpandedIcon,
  FavouriteIcon,
  PinIcon,
  RecentIcon,
  SearchIcon,
  SlotIcon,
} from './design/icons';
import { topOfList } from './picks';
import { togglePinned, usePicksStore } from './picks-store';
import { accountHeadingId, switchTo } from './run-command';
import { SignInFirst } from './SignInFirst';
import { whereLoaded } from './slot-rows';
import { useProfilesStore, useSnapshotStore, useViewStore } from './stores';

/**
 * Every profile: pinned and recently used ones first (one click fills the default slot), then
 * by account, each account folding away, filtered as you type. Each profile shows what it is
 * made from (an assumed role's chain), where it is loaded, and Pin, Load, Load in slot and Open
 * console.
 */
export function ProfileList() {
  const filter = useProfilesStore((state) => state.filter);
  const profiles = useProfilesStore(
    useShallow((state) => {
      const needle = state.filter.trim().toLowerCase();
      return state.profiles.filter(
        (profile) =>
          !needle ||
          `${profile.name} ${profile.accountName ?? ''} ${profile.accountId ?? ''}`
            .toLowerCase()
            .includes(needle),
      );
    }),
  );
  // A chain names profiles the filter may hide.
  const all = useProfilesStore((state) => state.profiles);
  const byName = useMemo(() => new Map(all.map((profile) => [profile.name, profile])), [all]);
  const groups = groupByAccount(profiles);

  return (
    <section aria-labelledby="profiles-heading" className="profiles">
      <div className="section-head">
        <h2 id="profiles-heading">Profiles</h2>
        <label className="filter">
          <SearchIcon className="icon" />
          <span className="visually-hidden">Filter</span>
          <input
            type="search"
            value={filter}
            placeholder="Filter by account, role or profile"
            onChange={(event) => useProfilesStore.setState({ filter: event.target.value })}
          />
        </label>
      </div>
      <QuickPicks />
      {groups.length === 0 && all.length > 0 && <p className="empty card">No profiles match.</p>}
      {groups.map((group) => (
        <AccountGroup key={group.key} group={group} byName={byName} />
      ))}
    </section>
  );
}

/** Pinned and recent profiles as one-click switches of the default slot. */
export function QuickPicks({ limit }: { limit?: number }) {
  const picks = usePicksStore((state) => state.picks);
  const names = useProfilesStore(
    useShallow((state) => state.profiles.filter((p) => p.loadable).map((p) => p.name)),
  );
  const defaultProfile = useSnapshotStore((state) => state.snapshot.defaultProfile);
  const { pinned, recent } = topOfList(picks, names);
  if (pinned.length === 0 && recent.length === 0) return null;
  const row = (title: string, icon: React.ReactNode, list: string[]) =>
    list.length > 0 && (
      <div className="quick-row" role="group" aria-label={title}>
        <span className="quick-label">
          {icon}
          {title}
        </span>
        {list.slice(0, limit).map((name) => (
          <button
            key={name}
            type="button"
            className={`quick${name === defaultProfile ? ' current' : ''}`}
            aria-label={`Switch to ${name}`}
            aria-current={name === defaultProfile ? 'true' : undefined}
            onClick={() => void switchTo(name)}
          >
            {name}
          </button>
        ))}
      </div>
    );
  return (
    <div className="quick-picks">
      {row('Pinned', <FavouriteIcon className="icon" />, pinned)}
      {row('Recent', <RecentIcon className="icon" />, recent)}
    </div>
  );
}

function AccountGroup({
  group,
  byName,
}: {
  group: ReturnType<typeof groupByAccount>[number];
  byName: Map<string, ProfileInfo>;
}) {
  const collapsed = useViewStore((state) => state.collapsed.has(group.key));
  const toggle = () =>
    useViewStore.setState((state) => {
      const next = new Set(state.collapsed);
      if (next.has(group.key)) next.delete(group.key);
      else next.add(group.key);
      return { collapsed: next };
    });
  const listId = `${accountHeadingId(group.key)}-list`;
  return (
    <div className="account">
      <h3>
        <button
          type="button"
          id={accountHeadingId(group.key)}
          className="account-toggle"
          aria-expanded={!collapsed}
          aria-controls={listId}
          onClick={toggle}
        >
          {collapsed ? <CollapsedIcon className="icon" /> : <ExpandedIcon className="icon" />}
          <span className="account-name">{group.name}</span>
          {group.accountId && <span className="account-id">{group.accountId}</span>}
          <span className="account-count">
            {group.profiles.length} {group.profiles.length === 1 ? 'profile' : 'profiles'}
          </span>
        </button>
      </h3>
      <ul id={listId} className="list card" hidden={collapsed}>
        {group.profiles.map((profile) => (
          <ProfileRow key={profile.name} profile={profile} byName={byName} />
        ))}
      </ul>
    </div>
  );
}

function ProfileRow({
  profile,
  byName,
}: {
  profile: ProfileInfo;
  byName: Map<string, ProfileInfo>;
}) {
  const defaultProfile = useSnapshotStore((state) => state.snapshot.defaultProfile);
  const slots = useSnapshotStore((state) => state.snapshot.slots);
  const pinned = usePicksStore((state) => state.picks.pinned.includes(profile.name));
  const where = whereLoaded(profile.name, { defaultProfile, slots });
  const madeFrom = profileChainWords(profile, byName);
  return (
    <li className="profile-row">
      <button
        type="button"
        className="ghost icon-only pin"
        aria-pressed={pinned}
        aria-label={`Pin ${profile.name}`}
        title={pinned ? 'Pinned: listed at the top. Click to unpin.' : 'Pin to the top'}
        onClick={() => togglePinned(profile.name)}
      >
        <PinIcon className="icon" />
      </button>
      <span className="profile-text">
        <span className="profile-name">{profile.name}</span>
        {where && (
          <Chip tone="fresh" className="loaded-in">
            {where}
          </Chip>
        )}
        {madeFrom && <span className="made-from">{madeFrom}</span>}
      </span>
      {profile.loadable ? (
        <span className="buttons">
          <button
            type="button"
            className="accent"
            onClick={() => void loadProfile(profile.name, false)}
            aria-label={`Load ${profile.name}`}
            title="Fill the default slot: every AWS tool pointed at Rolecall uses it"
          >
            Load
          </button>
          <button
            type="button"
            onClick={() => void loadProfile(profile.name, true)}
            aria-label={`Load ${profile.name} in its slot`}
            title="Give this profile a slot of its own, at its own URL"
          >
            <SlotIcon className="icon" />
            Slot
          </button>
          <button
            type="button"
            onClick={() => void openConsole(profile.name)}
            aria-label={`Open console as ${profile.name}`}
            title="Opens the AWS console in your browser, signed in as this profile"
          >
            <ConsoleIcon className="icon" />
            Console
          </button>
        </span>
      ) : profile.signInFirst ? (
        <SignInFirst session={profile.signInFirst} profile={profile.name} />
      ) : (
        <span className="not-loadable">{profile.notLoadableReason}</span>
      )}
    </li>
  );
}
