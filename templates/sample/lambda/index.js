// A minimal custom skill with ask-sdk-core: Lambda runs `handler`; `skillship dev`, `say` and `dialog` run it
// locally. Each handler declares the intents it answers (`intents`), so `skillship lint` can check that every
// intent of the interaction model has a handler (skillship.json names this module as code.handlers).
const Alexa = require("ask-sdk-core");

const isIntent = (input, ...names) =>
  Alexa.getRequestType(input.requestEnvelope) === "IntentRequest" &&
  names.includes(Alexa.getIntentName(input.requestEnvelope));

const LaunchRequestHandler = {
  canHandle: (input) => Alexa.getRequestType(input.requestEnvelope) === "LaunchRequest",
  handle: (input) =>
    input.responseBuilder
      .speak("Welcome. Say hello, and I will greet you back.")
      .reprompt("Say hello.")
      .getResponse(),
};

const HelloWorldIntentHandler = {
  intents: ["HelloWorldIntent"],
  canHandle: (input) => isIntent(input, "HelloWorldIntent"),
  handle: (input) => input.responseBuilder.speak("Hello, world!").withShouldEndSession(true).getResponse(),
};

const HelpIntentHandler = {
  intents: ["AMAZON.HelpIntent"],
  canHandle: (input) => isIntent(input, "AMAZON.HelpIntent"),
  handle: (input) =>
    input.responseBuilder.speak("Say hello, and I will greet you back.").reprompt("Say hello.").getResponse(),
};

const StopIntentHandler = {
  intents: ["AMAZON.CancelIntent", "AMAZON.StopIntent", "AMAZON.NavigateHomeIntent"],
  canHandle: (input) =>
    isIntent(input, "AMAZON.CancelIntent", "AMAZON.StopIntent", "AMAZON.NavigateHomeIntent"),
  handle: (input) => input.responseBuilder.speak("Goodbye!").withShouldEndSession(true).getResponse(),
};

const FallbackIntentHandler = {
  intents: ["AMAZON.FallbackIntent"],
  canHandle: (input) => isIntent(input, "AMAZON.FallbackIntent"),
  handle: (input) =>
    input.responseBuilder.speak("Sorry, I did not get that. Say hello.").reprompt("Say hello.").getResponse(),
};

const SessionEndedRequestHandler = {
  canHandle: (input) => Alexa.getRequestType(input.requestEnvelope) === "SessionEndedRequest",
  handle: (input) => input.responseBuilder.getResponse(),
};

const ErrorHandler = {
  canHandle: () => true,
  handle: (input, error) => {
    console.error(JSON.stringify({ level: "error", message: error.message }));
    return input.responseBuilder.speak("Sorry, something went wrong.").getResponse();
  },
};

/** The request handlers, in the order ask-sdk tries them. */
const requestHandlers = [
  LaunchRequestHandler,
  HelloWorldIntentHandler,
  HelpIntentHandler,
  StopIntentHandler,
  FallbackIntentHandler,
  SessionEndedRequestHandler,
];

exports.requestHandlers = requestHandlers;
exports.handler = Alexa.SkillBuilders.custom()
  .addRequestHandlers(...requestHandlers)
  .addErrorHandlers(ErrorHandler)
  .lambda();
