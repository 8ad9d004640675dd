// The one HTML escape of report.html. Every value that comes from the data goes through it, in text and in
// (always double-quoted) attribute values alike, so '<', '&' and quotes from an id or an explanation stay text.
const ENTITY: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ENTITY[char] ?? char);
}
