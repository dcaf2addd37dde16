// A word for the guest's shell: names from the panels go into command tabs verbatim.
export function shellQuote(word: string): string {
  return /^[\w./:@-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
