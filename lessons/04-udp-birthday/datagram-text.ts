// How the receiver shows a datagram's text: escaped, and shortened when long.
import { escapeText } from "./escape.ts";

/** Longer texts are shown as their length and their start. */
const SHOW_CHARACTERS = 80;

export function describeDatagram(text: string, bytes: number): string {
  if (bytes === 0) return "(empty datagram)";
  // A line typed into `nc -u` ends with a newline; the rest of the text is shown escaped.
  text = text.replace(/\r?\n$/, "");
  if (text.length <= SHOW_CHARACTERS) return escapeText(text);
  return `(${bytes} bytes) ${escapeText(text.slice(0, SHOW_CHARACTERS))}...`;
}
