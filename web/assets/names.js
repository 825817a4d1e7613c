// Human names for what the API gives as codes: topics (slugs) and countries (ISO codes).
// Topics the programme has always had keep their own names; a new slug reads as words.
const TOPIC_NAMES = {
  "juvenile-justice": "Juvenile justice",
  "hiv-aids": "HIV and AIDS",
  "roma-children": "Roma children",
  "violence": "Violence",
  "leave-no-child-out": "“Leave No Child Out”",
};

export function topicName(slug) {
  if (TOPIC_NAMES[slug]) return TOPIC_NAMES[slug];
  const words = String(slug).replaceAll("-", " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

// "KG" -> "Kyrgyzstan", by the browser's own names (no list to keep up to date).
export function countryName(code) {
  try {
    return new Intl.DisplayNames(["en"], { type: "region" }).of(code) || code;
  } catch {
    return code;
  }
}

// "baku-2012" -> "Baku 2012": a workshop's slug as words, until its story gives it a title.
export function workshopName(slug) {
  const words = String(slug).replaceAll("-", " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function languageName(code) {
  try {
    return new Intl.DisplayNames(["en"], { type: "language" }).of(code) || code;
  } catch {
    return code;
  }
}
