/** Regions whose codes are the longest (5 characters), with a 16-character suffix: the tightest names. */
export const LONGEST_NAMES_CONFIG = {
  environmentSuffix: "abcdefgh-1234567",
  primaryRegion: "ap-southeast-2",
  drRegion: "ap-northeast-3",
  mode: "production",
  // A production stack serves HTTPS only, so it needs a domain.
  domainName: "payments.example.com",
} as const;
