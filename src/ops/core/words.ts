/** How core op kinds speak of objects in the console's "Detected …" lines. */

export const q = (name: string) => `'${name}'`;

/** `added unique constraint 'UQ_x' on 'users' (email)`; an unnamed one is just "unique constraint". */
export const constraintWords = (verb: string, what: string, item: { name?: string }, table: string, detail = "") =>
  `${verb} ${what}${item.name ? ` ${q(item.name)}` : ""} on ${q(table)}${detail}`;
