/** The directives the bridge answers, by `namespace.name`. */
import { acceptGrant } from "./accept-grant";
import { adjustBrightness, setBrightness } from "./brightness";
import type { DirectiveHandler } from "./context";
import { discover } from "./discovery";
import { turnOff, turnOn } from "./power";
import { adjustRangeValue, setRangeValue } from "./range";
import { reportState } from "./report-state";

export const DIRECTIVE_HANDLERS: Readonly<Record<string, DirectiveHandler>> = {
  "Alexa.Discovery.Discover": discover,
  "Alexa.Authorization.AcceptGrant": acceptGrant,
  "Alexa.ReportState": reportState,
  "Alexa.PowerController.TurnOn": turnOn,
  "Alexa.PowerController.TurnOff": turnOff,
  "Alexa.BrightnessController.SetBrightness": setBrightness,
  "Alexa.BrightnessController.AdjustBrightness": adjustBrightness,
  "Alexa.RangeController.SetRangeValue": setRangeValue,
  "Alexa.RangeController.AdjustRangeValue": adjustRangeValue,
};

export { AcceptGrantError } from "./accept-grant";
export type { DirectiveContext, DirectiveHandler, Logger } from "./context";
