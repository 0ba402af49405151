// Public surface of the customer instructions (the `instructions` command and the dashboard's
// `i` view use these; nothing here touches the terminal, the database or the network).
export { buildInstructions, renderInstructions, type InstructionsInput } from './build.js';
export { renderDocument, renderMarkdown, renderText, INSTRUCTION_FORMATS, type InstructionFormat } from './render.js';
export { adminConsentUrl, type InstructionSettings } from './steps.js';
export type { InstructionDocument } from './document.js';
