// Fake personal data: first and last names and their e-mail forms.

export const FIRST_NAMES = [
  "Ava",
  "Ben",
  "Chloé",
  "Daniel",
  "Emma",
  "Felix",
  "Grace",
  "Hiro",
  "Isabel",
  "Jack",
  "Kira",
  "Liam",
  "María",
  "Noah",
  "Olivia",
  "Priya",
  "Quinn",
  "Rafael",
  "Sofia",
  "Tom",
  "Uma",
  "Victor",
  "Wen",
  "Xavier",
  "Yara",
  "Zoë",
  "José",
  "Søren",
  "Aisha",
  "Mei"
];
export const LAST_NAMES = [
  "Anderson",
  "Brown",
  "Chen",
  "Dubois",
  "Evans",
  "Fischer",
  "García",
  "Hughes",
  "Ivanova",
  "Jones",
  "Kim",
  "López",
  "Müller",
  "Nguyen",
  "O'Brien",
  "Patel",
  "Rossi",
  "Smith",
  "Tanaka",
  "Usman",
  "Varga",
  "Wilson",
  "Xu",
  "Young",
  "Zimmermann"
];

/** Lower-case ASCII letters of a name, for an e-mail address ("Søren" → "soren"). */
export function emailPart(name: string): string {
  return name
    .normalize("NFD")
    .replace(/ø/gi, "o")
    .toLowerCase()
    .replace(/[^a-z]/g, "");
}

export const FIRST_EMAIL = FIRST_NAMES.map(emailPart);
export const LAST_EMAIL = LAST_NAMES.map(emailPart);
