import type { Messages } from "../messages";

/** American English. */
export const enUS: Messages = {
  welcome: "Welcome to Joke Box! Here's a joke for you.",
  help:
    "Joke Box plays short, funny audio clips. Say play a joke to hear one, next for another, " +
    "or stop when you've had enough. What would you like to do?",
  helpReprompt: "Say play a joke, or stop.",
  fallback: "Joke Box can't help with that. Say play a joke to hear a clip, or help to hear what you can do.",
  fallbackReprompt: "Would you like to hear a joke?",
  emptyLibrary: "Sorry, there are no clips to play right now. Please try again later.",
  clipNotFound: "There's no clip number {{number}}, so here's a random one.",
  loopUnsupported: "Joke Box plays each clip once, so looping isn't available. Say next for another clip.",
  shuffleOn: "Joke Box always picks clips at random, so they're already shuffled.",
  shuffleOff:
    "Joke Box always picks clips at random, and that can't be turned off. Say next for another clip.",
  error: "Sorry, something went wrong. Please try again.",
};
