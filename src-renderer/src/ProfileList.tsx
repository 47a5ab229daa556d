import { useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { ProfileInfo } from '../../src-shared/profile';
import { profileChainWords } from '../../src-shared/profile-chain';
import { loadProfile, openConsole } from './actions';
import { SignInFirst } from './SignInFirst';
import { whereLoaded } from './slot-rows';
import { useProfilesStore, useSnapshotStore } from './stores';

function accountOf(profile: ProfileInfo): string {
  return profile.accountId
    ? `${profile.accountName ?? 'Account'} (${profile.accountId})`
    : 'Other profiles';
}

/**
 * Every profile, grouped by account, filtered as you type, each with what it is made from (an
 * assumed role's chain), where it is loaded, and Load, Load in slot and Open console.
 */
export function ProfileList() {
  const filter = useProfilesStore((state) => state.filter);
  const defaultProfile = useSnapshotStore((state) => state.snapshot.defaultProfile);
  const slots = useSnapshotStore((state) => state.snapshot.slots);
  const profiles = useProfilesStore(
    useShallow((state) => {
      const needle = state.filter.trim().toLowerCase();
      return state.profiles.filter(
        (profile) =>
          !needle || `${profile.name} ${accountOf(profile)}`.toLowerCase().includes(needle),
      );
    }),
  );
  // A chain names profiles the filter may hide.
  const all = useProfilesStore((state) => state.profiles);
  const byName = useMemo(() => new Map(all.map((profile) => [profile.name, profile])), [all]);
  const groups = new Map<string, ProfileInfo[]>();
  for (const profile of profiles)
    groups.set(accountOf(profile), [...(groups.get(accountOf(profile)) ?? []), profile]);

  return (
    <section aria-labelledby="profiles-heading">
      <h2 id="profiles-heading">Profiles</h2>
      <label className="filter">
        Filter
        <input
          type="search"
          value={filter}
          placeholder="account, role or profile"
          onChange={(event) => useProfilesStore.setState({ filter: event.target.value })}
        />
      </label>
      {groups.size === 0 && <p className="empty">No profiles match.</p>}
      {[...groups].map(([account, members]) => (
        <div key={account} className="account">
          <h3>{account}</h3>
          <ul>
            {members.map((profile) => {
              const where = whereLoaded(profile.name, { defaultProfile, slots });
              const madeFrom = profileChainWords(profile, byName);
              return (
                <li key={profile.name}>
                  <span>
                    <span className="profile-name">{profile.name}</span>
                    {madeFrom && <span className="made-from">{madeFrom}</span>}
                    {where && <span className="loaded-in">{where}</span>}
                  </span>
                  {profile.loadable ? (
                    <span className="buttons">
                      <button
                        type="button"
                        onClick={() => void loadProfile(profile.name, false)}
                        aria-label={`Load ${profile.name}`}
                      >
                        Load
                      </button>
                      <button
                        type="button"
                        onClick={() => void loadProfile(profile.name, true)}
                        aria-label={`Load ${profile.name} in its slot`}
                      >
                        Load in slot
                      </button>
                      <button
                        type="button"
                        onClick={() => void openConsole(profile.name)}
                        aria-label={`Open console as ${profile.name}`}
                        title="Opens the AWS console in your browser, signed in as this profile"
                      >
                        Open console
                      </button>
                    </span>
                  ) : profile.signInFirst ? (
                    <SignInFirst session={profile.signInFirst} profile={profile.name} />
                  ) : (
                    <span className="not-loadable">{profile.notLoadableReason}</span>
                  )}
                </li>
              );
            })}
          </ul>
        </div>
      ))}
    </section>
  );
}
