// The function app of the durable no-op fan-out benchmark: one orchestration that schedules `count`
// activities doing nothing at once and waits for all of them, so only the engine is measured.
import * as df from 'durable-functions';

df.app.activity('noop', { handler: (input) => input });

df.app.orchestration('noopFanOut', function* (context) {
  const count = context.df.getInput();
  const tasks = [];
  for (let i = 0; i < count; i += 1) tasks.push(context.df.callActivity('noop', i));
  const results = yield context.df.Task.all(tasks);
  return results.length;
});
