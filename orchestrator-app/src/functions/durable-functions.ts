import * as df from 'durable-functions';

import { listItemsPage, processItem, recordFailures } from '../activities/item-activities.js';
import { chunkOrchestrator } from '../orchestrations/chunk-orchestrator.js';
import { runOrchestrator } from '../orchestrations/run-orchestrator.js';

df.app.orchestration('runOrchestrator', runOrchestrator);
df.app.orchestration('chunkOrchestrator', chunkOrchestrator);
df.app.activity('listItemsPage', { handler: listItemsPage });
df.app.activity('processItem', { handler: processItem });
df.app.activity('recordFailures', { handler: recordFailures });
