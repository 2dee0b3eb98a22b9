// The fixed test release key (its public half is TEST_PUBLIC_KEY in src/update/release-keys.ts, trusted only
// for a loopback feed with BUCKAROO_UPDATE_ALLOW_LOOPBACK=1) and the environment that signs and accepts with it.

/** base64 of "Ed" + key number + Ed25519 seed: the format scripts/sign-release.ts reads. Public on purpose. */
export const TEST_RELEASE_SECRET_KEY = 'RWRQ5YVmp61+bbTaMdhUpzpa0tWAO0FMiK9itbmjcHMZ7h86vGv+/CJK';

/** For `node scripts/sign-release.ts`. */
export const TEST_SIGNING_ENV = { BUCKAROO_RELEASE_SECRET_KEY: TEST_RELEASE_SECRET_KEY };
/** For the binary under test talking to a feed on 127.0.0.1. */
export const LOOPBACK_FEED_ENV = { BUCKAROO_UPDATE_ALLOW_LOOPBACK: '1' };
