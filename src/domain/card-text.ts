/** The text a story card is embedded from (for activation by similarity): its name and its text. */
export function cardEmbeddingText(card: { name: string; text: string }): string {
  return `${card.name}\n${card.text}`;
}
