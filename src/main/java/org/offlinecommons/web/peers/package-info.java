/**
 * Other servers on the LAN: the peers page and {@code /api/v1/peers}; pulls go through
 * {@link org.offlinecommons.sync.PeerPulls}.
 */
package org.offlinecommons.web.peers;
