/** Every string Jokebox speaks, by key; each locale file provides all of them. */
export interface Messages {
  /** Launch: a short welcome before the first clip. */
  readonly welcome: string;
  readonly help: string;
  readonly helpReprompt: string;
  readonly fallback: string;
  readonly fallbackReprompt: string;
  /** The library holds no audio clip. */
  readonly emptyLibrary: string;
  /** "play clip {{number}}" named a clip that does not exist; a random one follows. */
  readonly clipNotFound: string;
  readonly loopUnsupported: string;
  readonly shuffleOn: string;
  readonly shuffleOff: string;
  /** Anything went wrong: always in the user's language. */
  readonly error: string;
}

/** A key of {@link Messages}. */
export type MessageKey = keyof Messages;
