// Settings for a test, as a command reads them from the environment, with the source given
// (null: the bundled demo) and any variables set.
import {readSettings, settingVariables, type Settings} from "../loaders/settings.js";

export const testSettings = (source: string | null, env: NodeJS.ProcessEnv = {}): Settings =>
  readSettings({...process.env, ...env, [settingVariables.source]: source ?? undefined});
