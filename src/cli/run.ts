import { processIo } from './cli-io.js';
import { main } from './main.js';

// The one place that touches the process: exit status only, never process.exit mid-flight.
process.exitCode = await main(process.argv.slice(2), processIo());
