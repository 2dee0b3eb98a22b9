// Every failure of the update path (feed, release format, download, binary swap) is one class with a stable
// code and a sentence for the person; `upgrade` passes both on as a CliError, the background check logs them.

export type UpdateErrorCode =
  | 'E_FEED_UNREACHABLE'
  | 'E_FEED_TIMEOUT'
  | 'E_FEED_HTTP'
  | 'E_RELEASE_FORMAT' // the feed answered something that is not a release of ours
  | 'E_DOWNLOAD'
  | 'E_HOMEBREW_MANAGED' // the binary belongs to Homebrew: `brew upgrade` replaces it
  | 'E_NOT_WRITABLE'
  | 'E_NEW_BINARY_BROKEN' // the new binary did not print its version; the old one was put back
  | 'E_REPLACE_FAILED'
  | 'E_SIGNATURE' // SHA256SUMS unsigned, or not signed by a key this build trusts
  | 'E_INSECURE_URL' // a feed or download URL that is not https (loopback only in tests)
  | 'E_TOO_LARGE' // a download, the unpacked tarball or its executable is over its cap
  | 'E_NOT_EXECUTABLE'; // the new file is not an executable for this platform

export class UpdateError extends Error {
  readonly code: UpdateErrorCode;

  constructor(message: string, code: UpdateErrorCode) {
    super(message);
    this.name = 'UpdateError';
    this.code = code;
  }
}
