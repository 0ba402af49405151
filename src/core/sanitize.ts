// Text that came from outside (roster files, display names in Graph responses) must not be
// able to move the cursor, change colours or retitle the terminal when we print it.

// CSI (ESC [ ... final), OSC (ESC ] ... BEL or ST), DCS/SOS/PM/APC (ESC P|X|^|_ ... ST),
// two-byte escapes (ESC + one char), and the 8-bit C1 forms of CSI/OSC.
const ESCAPE_SEQUENCES =
  /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|\u001b[PX^_][^\u001b]*(?:\u001b\\)?|\u001b[@-Z\\-_]|\u009b[0-?]*[ -/]*[@-~]|\u009d[^\u0007\u009c]*(?:\u0007|\u009c)?/g;
// Remaining C0 and C1 controls, DEL, and bidi overrides that can disguise text.
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** Removes terminal escape sequences and control characters; newlines and tabs become spaces. */
export function stripControls(text: string): string {
  return text.replace(ESCAPE_SEQUENCES, '').replace(/[\r\n\t]+/g, ' ').replace(CONTROLS, '');
}

/** A single-line display string: controls stripped, whitespace collapsed, trimmed. */
export function cleanText(text: string): string {
  return stripControls(text).replace(/\s+/g, ' ').trim();
}

/**
 * Text from an error or a service response, made safe to store and print: controls stripped,
 * anything that looks like a token, secret or credential header redacted, length bounded.
 */
export function safeText(text: string, max = 300): string {
  const cleaned = cleanText(text)
    .replace(/\beyJ[\w-]{4,}\.[\w-]{4,}\.[\w-]*/g, '[token]')
    .replace(/\b(Bearer|Basic)\s+[^\s,;"]+/gi, '$1 [redacted]')
    .replace(/\b(authorization)\s*[:=]\s*[^,;"]+/gi, '$1: [redacted]')
    .replace(/\b(client_secret|client_assertion|refresh_token|access_token|id_token|password|code|device_code)=[^&\s"]+/gi, '$1=[redacted]')
    .replace(/"(client_secret|client_assertion|refresh_token|access_token|id_token|password|device_code)"\s*:\s*"[^"]*"/gi, '"$1":"[redacted]"');
  return cleaned.length > max ? `${cleaned.slice(0, max - 1)}…` : cleaned;
}
