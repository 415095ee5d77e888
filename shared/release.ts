/**
 * The product's release, one number for the desktop app and the central API (package.json's
 * version; test/unit/release.test.ts keeps them equal). Browser mode used to say 0.0.0 when not
 * started through npm, so the app and the server it talked to disagreed.
 */
export const RELEASE = '0.1.0';
