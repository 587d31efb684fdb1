export { main } from './main.js';
export { memoryIo, processIo, type CliIo } from './cli-io.js';
