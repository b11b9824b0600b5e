import type { Messages } from "../messages";

/** Spanish (Spain). */
export const esES: Messages = {
  welcome: "¡Bienvenido a Caja de chistes! Aquí tienes un chiste.",
  help:
    "Caja de chistes reproduce clips de audio cortos y divertidos. Di «pon un chiste» para escuchar uno, " +
    "«siguiente» para otro, o «para» cuando hayas tenido suficiente. ¿Qué quieres hacer?",
  helpReprompt: "Di «pon un chiste» o «para».",
  fallback:
    "Caja de chistes no puede ayudarte con eso. Di «pon un chiste» para escuchar un clip, " +
    "o «ayuda» para saber qué puedes hacer.",
  fallbackReprompt: "¿Quieres escuchar un chiste?",
  emptyLibrary: "Lo siento, ahora mismo no hay clips para reproducir. Vuelve a intentarlo más tarde.",
  clipNotFound: "No hay ningún clip número {{number}}, así que aquí tienes uno al azar.",
  loopUnsupported:
    "Caja de chistes reproduce cada clip una sola vez, así que no se puede repetir en bucle. " +
    "Di «siguiente» para escuchar otro clip.",
  shuffleOn: "Caja de chistes siempre elige los clips al azar, así que ya están mezclados.",
  shuffleOff:
    "Caja de chistes siempre elige los clips al azar y eso no se puede desactivar. " +
    "Di «siguiente» para escuchar otro clip.",
  error: "Lo siento, algo ha salido mal. Vuelve a intentarlo.",
};
