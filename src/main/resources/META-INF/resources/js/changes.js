// Server-sent change streams. Named events never reach onmessage, so each type gets a listener.

export const ORDER_EVENTS = ['OrderPlaced', 'ShippingAddressChanged', 'OrderConfirmed', 'OrderShipped', 'OrderCancelled'];
export const PRODUCT_EVENTS = ['ProductAdded', 'ProductPriceChanged', 'ProductDiscontinued'];

const RECONNECT_MS = 3000;

/**
 * Follows one stream from a position. The first connection names the position in the query
 * (EventSource cannot set headers then); the browser's own reconnects send Last-Event-ID, which
 * the service prefers. When the browser gives up (a 503, say), this reconnects from the last id seen.
 *
 * @param {string} path the stream's path
 * @param {{position?: number|string, types: string[], onChange: Function, onReset?: Function, onOpen?: Function,
 *   onError?: Function}} options
 * @returns {{close: Function}}
 */
export function follow(path, { position, types, onChange, onReset = () => {}, onOpen = () => {}, onError = () => {} }) {
  let lastId = position;
  let source = null;
  let closed = false;
  let timer = null;

  const connect = () => {
    const url = lastId === undefined || lastId === null ? path : `${path}?lastEventId=${encodeURIComponent(lastId)}`;
    source = new EventSource(url);
    source.addEventListener('open', onOpen);
    for (const type of types) {
      source.addEventListener(type, (event) => {
        lastId = event.lastEventId || lastId;
        onChange({ type, ...JSON.parse(event.data) });
      });
    }
    source.addEventListener('reset', (event) => {
      const reset = JSON.parse(event.data);
      lastId = event.lastEventId || reset.position || lastId;
      onReset(reset);
    });
    source.addEventListener('error', () => {
      onError();
      if (source.readyState === EventSource.CLOSED && !closed) {
        timer = setTimeout(connect, RECONNECT_MS);
      }
    });
  };
  connect();

  return {
    close() {
      closed = true;
      clearTimeout(timer);
      source.close();
    },
  };
}
