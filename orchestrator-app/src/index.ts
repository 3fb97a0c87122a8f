// The app's entry: importing each file registers its functions with the Functions host.
import './functions/durable-functions.js';
import './functions/health.js';
import './functions/http-api.js';
import './functions/scheduled-run.js';
