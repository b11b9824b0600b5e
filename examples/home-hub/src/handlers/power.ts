/** `Alexa.PowerController` TurnOn / TurnOff: switches and dimmers. */
import { applyAndRespond, targetDevice, type DirectiveHandler } from "./context";

const power =
  (on: boolean): DirectiveHandler =>
  async (context) =>
    applyAndRespond(context, await targetDevice(context), { on });

export const turnOn: DirectiveHandler = power(true);
export const turnOff: DirectiveHandler = power(false);
