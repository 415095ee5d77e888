/**
 * The content security policy of every app page: sent as a response header by Electron's
 * session and by the browser-mode host, and repeated in renderer/index.html as a meta tag.
 * Styles allow 'unsafe-inline' because AG Grid and Blueprint inject <style> elements at run
 * time; scripts never get that allowance.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
].join('; ');
