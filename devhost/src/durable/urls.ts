// Management URLs in the form the Durable extension gives them to clients and callers.

export interface UrlOptions {
  publicOrigin: string;
  rpcOrigin: string;
  taskHubName: string;
  systemKey: string;
}

/** The connection name the real extension puts in URLs for the default storage provider. */
const CONNECTION = 'Storage';

export function webhookBase(options: UrlOptions): string {
  return `${options.publicOrigin.replace(/\/+$/, '')}/runtime/webhooks/durabletask`;
}

/** URLs that manage one instance; `id` is put in as given (pass 'INSTANCEID' for the template). */
export function instanceUrls(options: UrlOptions, id: string): Record<string, string> {
  const base = `${webhookBase(options)}/instances/${id}`;
  const query = `taskHub=${encodeURIComponent(options.taskHubName)}&connection=${CONNECTION}&code=${encodeURIComponent(options.systemKey)}`;
  return {
    id,
    statusQueryGetUri: `${base}?${query}`,
    sendEventPostUri: `${base}/raiseEvent/{eventName}?${query}`,
    terminatePostUri: `${base}/terminate?reason={text}&${query}`,
    rewindPostUri: `${base}/rewind?reason={text}&${query}`,
    purgeHistoryDeleteUri: `${base}?${query}`,
    restartPostUri: `${base}/restart?${query}`,
    suspendPostUri: `${base}/suspend?reason={text}&${query}`,
    resumePostUri: `${base}/resume?reason={text}&${query}`,
  };
}

/** The check-status payload for a started instance. */
export function checkStatusPayload(options: UrlOptions, id: string): Record<string, string> {
  return instanceUrls(options, encodeURIComponent(id));
}

/** What a `durableClient` input binding receives: task hub, creation and management URLs, `rpcBaseUrl`. */
export function clientBindingData(options: UrlOptions): Record<string, unknown> {
  const base = webhookBase(options);
  const code = `code=${encodeURIComponent(options.systemKey)}`;
  return {
    taskHubName: options.taskHubName,
    creationUrls: {
      createNewInstancePostUri: `${base}/orchestrators/{functionName}[/{instanceId}]?${code}`,
      createAndWaitOnNewInstancePostUri: `${base}/orchestrators/{functionName}[/{instanceId}]?timeout={timeoutInSeconds}&pollingInterval={intervalInSeconds}&${code}`,
    },
    managementUrls: instanceUrls(options, 'INSTANCEID'),
    baseUrl: base,
    requiredQueryStringParameters: code,
    rpcBaseUrl: `${options.rpcOrigin.replace(/\/+$/, '')}/durabletask/`,
  };
}
