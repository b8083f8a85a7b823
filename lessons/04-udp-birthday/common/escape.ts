// Text from the network, made safe to print.

/**
 * Text with its control characters escaped (`\x1b`, `\n`, ...), so that a peer cannot move the
 * cursor, change the window title or clear the screen of whoever reads it.
 */
export function escapeText(text: string): string {
  // Control characters (C0, DEL and C1), and the Unicode bidirectional overrides.
  return text.replace(/[\p{Cc}\u202a-\u202e\u2066-\u2069]/gu, (character) => {
    const named: Record<string, string> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };
    const code = character.codePointAt(0) ?? 0;
    return (
      named[character] ??
      (code < 0x100 ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16)}`)
    );
  });
}
