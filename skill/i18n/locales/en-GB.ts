import type { Messages } from "../messages";

/** British English. */
export const enGB: Messages = {
  welcome: "Welcome to Joke Box! Here's a joke for you.",
  help:
    "Joke Box plays short, funny audio clips. Say play a joke to hear one, next for another, " +
    "or stop when you've had enough. What would you like to do?",
  helpReprompt: "Say play a joke, or stop.",
  fallback:
    "Joke Box can't help with that one. Say play a joke to hear a clip, or help to hear what you can do.",
  fallbackReprompt: "Fancy hearing a joke?",
  emptyLibrary: "Sorry, there aren't any clips to play at the moment. Please try again later.",
  clipNotFound: "There isn't a clip number {{number}}, so here's a random one.",
  loopUnsupported: "Joke Box plays each clip once, so looping isn't available. Say next for another clip.",
  shuffleOn: "Joke Box always picks clips at random, so they're already shuffled.",
  shuffleOff:
    "Joke Box always picks clips at random, and that can't be switched off. Say next for another clip.",
  error: "Sorry, something's gone wrong. Please have another go.",
};
