import { Button, Callout } from '@blueprintjs/core';
import { formatCount } from '../../lib/format';
import { useQueueView } from './queue-state';

/** Says which dashboard figure the queue shows, and clears it (the other filters come back). */
export function DrillNotice({ onCleared }: { onCleared(): void }) {
  const drill = useQueueView((s) => s.drill);
  const setDrill = useQueueView((s) => s.setDrill);
  if (!drill) return null;
  const more = drill.total > drill.ids.length;
  return (
    <Callout intent="primary" compact className="ld-queue-callout" data-testid="drill-notice">
      <span role="status">
        Showing the items behind <strong>{drill.label}</strong>: {formatCount(drill.total)}
        {more ? ` on the server, the first ${formatCount(drill.ids.length)} listed here` : ''}. Items not
        synced to this desk do not show.
      </span>{' '}
      <Button
        size="small"
        variant="outlined"
        onClick={() => {
          setDrill(null);
          onCleared();
        }}
      >
        Show the whole queue
      </Button>
    </Callout>
  );
}
