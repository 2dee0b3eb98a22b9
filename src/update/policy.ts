// Which release to offer: pure semver decisions, unit-tested. A prerelease is offered only to someone who is
// already on a prerelease; everyone else sees stable releases only.

import semver from 'semver';

/** The version to tell the person about, or undefined when `latest` is not an upgrade for `current`. */
export function offeredUpdate(current: string, latest: string | undefined): string | undefined {
  if (latest === undefined) return undefined;
  const cur = semver.valid(current);
  const lat = semver.valid(latest);
  if (!cur || !lat) return undefined;
  if (semver.prerelease(lat) && !semver.prerelease(cur)) return undefined;
  return semver.gt(lat, cur) ? lat : undefined;
}
