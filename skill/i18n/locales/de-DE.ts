import type { Messages } from "../messages";

/** German. */
export const deDE: Messages = {
  welcome: "Willkommen bei Witze Kiste! Hier ist ein Witz für dich.",
  help:
    "Witze Kiste spielt kurze, lustige Audioclips. Sag „spiel einen Witz“, um einen zu hören, " +
    "„weiter“ für den nächsten oder „stopp“, wenn du genug hast. Was möchtest du tun?",
  helpReprompt: "Sag „spiel einen Witz“ oder „stopp“.",
  fallback:
    "Dabei kann Witze Kiste nicht helfen. Sag „spiel einen Witz“ für einen Clip " +
    "oder „Hilfe“, um zu hören, was du tun kannst.",
  fallbackReprompt: "Möchtest du einen Witz hören?",
  emptyLibrary:
    "Tut mir leid, gerade gibt es keine Clips zum Abspielen. Bitte versuch es später noch einmal.",
  clipNotFound: "Einen Clip Nummer {{number}} gibt es nicht, deshalb kommt hier ein zufälliger.",
  loopUnsupported:
    "Witze Kiste spielt jeden Clip nur einmal, eine Endlosschleife gibt es also nicht. " +
    "Sag „weiter“ für einen anderen Clip.",
  shuffleOn: "Witze Kiste wählt die Clips immer zufällig aus, sie sind also schon gemischt.",
  shuffleOff:
    "Witze Kiste wählt die Clips immer zufällig aus, das lässt sich nicht abschalten. " +
    "Sag „weiter“ für einen anderen Clip.",
  error: "Entschuldigung, da ist etwas schiefgelaufen. Bitte versuch es noch einmal.",
};
