// The browser phone (../shared/seeds/WEBRTC-browser-phone-guide.md): WebRTC audio to Portier's gateway through the
// /api/webrtc/* routes (docs/api.md, "Browser phone (WebRTC)"). No external libraries.
//
// One WebRtcPhone lives as long as the app shell (app.js owns it and exposes it as window.portierPhone). It owns the
// microphone stream, the RTCPeerConnection and the <audio> element of the current call; pages and the call panel only
// read its state and call its methods. Outgoing: makeCall(ext) follows the guide's steps and status texts. Door mode
// (demo simulator): callAsDoor(group, door) makes this tab the door station calling the door's ring group. Incoming:
// the shell feeds it the {"type":"webrtc"} events of the event WebSocket (handleEvent); answer()/decline().
//
// Listeners: on('status', fn({text, kind})) for every status line ('info' | 'success' | 'error');
// on('change', fn(phone)) whenever state, call, mute or volume changed.
// state(): 'idle' | 'starting' (microphone, session, offer) | 'calling' (waiting for the other side) |
//          'incoming' (ringing here) | 'answering' | 'in_call'.
// window.WEBRTC_VERBOSE_LOGGING = true (or the server's features.webrtc.verbose_logging) logs "[VERBOSE]" lines.

const kDefaultConfig = {
  verbose_logging: false,
  dtmf_mode: 'RFC2833',
  dtmf_duration_ms: 160,
  echo_cancellation: true,
  noise_reduction: true,
  auto_gain_control: true,
  session_timeout_s: 3600,
};

// Why a call ended, as the other side or the network reported it ({"state":"ended","reason":...}).
function endedText(reason, peer) {
  switch (reason) {
    case 'hangup':
      return 'Call ended by the other side';
    case 'declined':
      return 'Call declined';
    case 'busy':
      return `${peer || 'The other side'} is busy`;
    case 'no_answer':
      return `No answer from ${peer || 'the other side'}`;
    case 'cancelled':
      return 'The caller hung up';
    case 'timeout':
      return 'The call timed out';
    case 'not_found':
      return `Extension ${peer || ''} not found`;
    case 'failed':
      return 'Call failed: the connection could not be set up';
    default:
      return 'Call ended';
  }
}

function microphoneErrorText(err) {
  switch (err?.name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return 'Microphone access denied. Allow the microphone for this site in the browser settings, then try again.';
    case 'NotFoundError':
      return 'No microphone found. Connect a microphone and try again.';
    case 'NotReadableError':
      return 'The microphone is in use by another application.';
    default:
      return `Microphone access error: ${err?.message || err}`;
  }
}

// REST failures of the call step, in words for the person calling.
function callErrorText(err, target) {
  if (err?.status === 409) return `Extension ${target} is busy`;
  if (err?.status === 404 && !/session/i.test(err.message)) return `Extension ${target} not found`;
  return `Call failed: ${err?.message || err}`;
}

export class WebRtcPhone {
  // deps: {http (api.js http: get/post/del), doors (api.js doors: unlock), media (navigator.mediaDevices),
  //        RTCPeerConnection, ring ({start(), stop()}), user (name)}. All but http have browser defaults.
  constructor(deps) {
    this.http_ = deps.http;
    this.doors_ = deps.doors ?? null;
    this.media_ = deps.media ?? globalThis.navigator?.mediaDevices;
    this.Peer_ = deps.RTCPeerConnection ?? globalThis.RTCPeerConnection;
    this.ring_ = deps.ring ?? { start() {}, stop() {} };
    this.listeners_ = { status: new Set(), change: new Set() };
    this.config_ = { ...kDefaultConfig };
    this.configLoaded_ = null; // promise of the GET /api/webrtc/config
    this.iceServers_ = null; // {iceServers, iceTransportPolicy} from the server
    this.statusLog = []; // every status text in order (the e2e test reads it)
    this.reset_();
    this.muted_ = false;
    this.volume_ = 1;
    this.audio_ = null;
    this.listening_ = false;
    this.listenGen_ = 0; // bumped by listen()/stopListening(): a late standing session of an older one is closed
    this.listenPromise_ = null;
    this.relisten_ = false; // door mode closed the standing session: reopen it when the call ends
    this.verbose('WebRTC Phone constructor called:', { apiUrl: globalThis.location?.origin, user: deps.user ?? null });
  }

  // --- state for the UI -----------------------------------------------------------------------------------------
  state() {
    return this.state_;
  }
  // {id, sessionId, peer, door, snapshotUrl, direction: 'out' | 'in', asDoor: door id ('' unless callAsDoor)} or null.
  call() {
    return this.call_;
  }
  muted() {
    return this.muted_;
  }
  volume() {
    return this.volume_;
  }
  lastStatus() {
    return this.statusLog.at(-1) ?? null;
  }
  peerConnection() {
    return this.pc_;
  }
  config() {
    return this.config_;
  }

  on(kind, fn) {
    this.listeners_[kind].add(fn);
    return () => this.listeners_[kind].delete(fn);
  }

  verbose(...args) {
    if (globalThis.WEBRTC_VERBOSE_LOGGING === true || this.config_.verbose_logging) console.log('[VERBOSE]', ...args);
  }

  // Loads the client configuration once (microphone constraints, DTMF mode, verbose flag). Failures leave the
  // defaults: the session request that follows reports the real problem (e.g. "WebRTC is disabled").
  loadConfig() {
    if (!this.configLoaded_) {
      this.configLoaded_ = this.http_
        .get('/api/webrtc/config')
        .then((r) => {
          this.config_ = { ...kDefaultConfig, ...(r.config ?? {}) };
          this.iceServers_ = r.ice_servers ?? null;
          this.verbose('WebRTC client config loaded:', this.config_);
        })
        .catch((e) => {
          this.configLoaded_ = null; // try again next time
          this.verbose('WebRTC client config unavailable:', e.message);
        });
    }
    return this.configLoaded_;
  }

  // --- outgoing ----------------------------------------------------------------------------------------------------
  // options.asDoor = {id, name}: see callAsDoor.
  async makeCall(targetExtension, options = {}) {
    const target = String(targetExtension ?? '').trim();
    const asDoor = options.asDoor ?? null;
    this.verbose('makeCall() called:', { targetExtension: target, asDoor: asDoor?.id });
    if (this.state_ !== 'idle') return this.status_('Already in a call', 'error');
    if (!/^[A-Za-z0-9*#+._:-]{1,64}$/.test(target)) return this.status_('Enter the extension to call', 'error');
    this.setState_('starting');
    this.call_ = {
      id: null,
      sessionId: null,
      peer: asDoor ? `${target} as the ${asDoor.name}` : target,
      door: '',
      snapshotUrl: '',
      direction: 'out',
      asDoor: asDoor?.id ?? '',
    };
    const attempt = this.attempt_;
    try {
      if (asDoor && !(await this.pauseListening_(attempt))) return;
      if (!(await this.startMedia_(attempt))) return;
      this.status_('Creating WebRTC session...');
      const session = await this.createSession_();
      if (attempt !== this.attempt_) return;
      this.call_.sessionId = session.session_id;
      await this.negotiate_(attempt);
      if (attempt !== this.attempt_) return;
      this.status_(asDoor ? `Ringing ring group ${target} as the ${asDoor.name}...` : `Calling extension ${target}...`);
      this.setState_('calling');
      const r = await this.http_.post('/api/webrtc/call', {
        session_id: this.call_.sessionId,
        target_extension: target,
      });
      if (attempt !== this.attempt_) return;
      this.call_.id = r.call_id;
      this.verbose('Call initiated:', { callId: r.call_id, targetExtension: target });
      this.changed_();
    } catch (err) {
      if (attempt !== this.attempt_) return;
      const text = this.state_ === 'calling' ? callErrorText(err, target) : `Call failed: ${err.message || err}`;
      await this.finish_(text, 'error');
    }
  }

  // The demo door (the simulator page): this tab becomes the door station of `door` ({id, name}) by calling its ring
  // group, which Portier treats as that door calling (a caller dialling a group id is the group's door). While it is
  // the door, its standing session is closed, so a "webrtc:*" group does not ring this very tab; it is reopened when
  // the call ends.
  callAsDoor(group, door) {
    return this.makeCall(group, { asDoor: { id: door.id, name: door.name || door.id } });
  }

  // A status line from the page that knows more about the current call than the phone (the door tab: its leg is
  // answered at once, the simulator page sees when a resident answers). Ignored without a call.
  note(text, kind = 'info') {
    if (this.call_) this.status_(text, kind);
  }

  // --- incoming ----------------------------------------------------------------------------------------------------
  // A {"type":"webrtc"} event from the event WebSocket (only this user's arrive).
  handleEvent(event) {
    if (!event || event.type !== 'webrtc') return;
    this.verbose('Phone event:', event);
    if (event.session_id && event.session_id === this.standing_ && event.state === 'ended' && event.reason === 'timeout'
        && !event.call_id) {
      this.standing_ = null; // the server closed the idle standing session: open a new one
      this.listening_ = false;
      this.listen();
      return;
    }
    const mine =
      this.call_ && (this.call_.sessionId === event.session_id || (this.call_.id && this.call_.id === event.call_id));
    if (event.state === 'incoming') {
      if (this.state_ !== 'idle') return; // busy here: the gateway rings other members or times out
      this.call_ = {
        id: event.call_id,
        sessionId: event.session_id,
        peer: event.peer || 'Unknown caller',
        door: event.door || '',
        snapshotUrl: event.snapshot_url || '',
        direction: 'in',
      };
      this.setState_('incoming');
      const who = event.door ? `Someone is at the ${event.peer || event.door}` : `Incoming call from ${this.call_.peer}`;
      this.status_(who);
      this.ring_.start();
      return;
    }
    if (!mine) return;
    if (event.call_id && !this.call_.id) this.call_.id = event.call_id;
    if (event.state === 'ringing') {
      this.verbose('Remote side ringing:', { callId: event.call_id });
      this.changed_();
    } else if (event.state === 'answered' && this.call_.asDoor) {
      // The door's leg is answered at once (the station hears ringback while the group rings); the page that made
      // this tab the door follows the residents' answer and notes it after this line.
      this.status_('Door line open', 'success');
      this.setState_('in_call');
    } else if (event.state === 'answered') {
      this.ring_.stop();
      this.setState_('in_call');
      this.status_('Call connected', 'success');
    } else if (event.state === 'ended') {
      this.finish_(endedText(event.reason, this.call_.peer), event.reason === 'hangup' ? 'info' : 'error', false);
    }
  }

  async answer() {
    if (this.state_ !== 'incoming') return;
    this.ring_.stop();
    this.setState_('answering');
    const attempt = this.attempt_;
    try {
      if (!(await this.startMedia_(attempt))) return;
      await this.negotiate_(attempt);
      if (attempt !== this.attempt_) return;
      await this.http_.post('/api/webrtc/answer', { session_id: this.call_.sessionId, call_id: this.call_.id });
      if (attempt !== this.attempt_) return;
      // The gateway also sends {"state":"answered"}; a call that is already connected ignores it.
      if (this.state_ === 'answering') {
        this.setState_('in_call');
        this.status_('Call connected', 'success');
      }
    } catch (err) {
      if (attempt !== this.attempt_) return;
      await this.finish_(`Could not answer: ${err.message || err}`, 'error');
    }
  }

  async decline() {
    if (this.state_ !== 'incoming') return;
    const call = this.call_;
    this.ring_.stop();
    await this.finish_('Call declined', 'info', false);
    try {
      await this.http_.post('/api/webrtc/decline', { session_id: call.sessionId, call_id: call.id });
    } catch (err) {
      this.verbose('decline failed:', err.message);
    }
  }

  // --- during a call -------------------------------------------------------------------------------------------------
  async hangup() {
    if (this.state_ === 'idle') return;
    if (this.state_ === 'incoming') return this.decline();
    await this.finish_('Call ended', 'info');
  }

  setMuted(muted) {
    this.muted_ = Boolean(muted);
    for (const track of this.stream_?.getAudioTracks() ?? []) track.enabled = !this.muted_;
    this.verbose('Microphone', this.muted_ ? 'muted' : 'unmuted');
    this.changed_();
  }

  setVolume(volume) {
    this.volume_ = Math.min(1, Math.max(0, Number(volume)));
    if (this.audio_) this.audio_.volume = this.volume_;
    this.changed_();
  }

  // Keypad digits: RFC 4733 events in the media (RTCDTMFSender) when dtmf_mode is RFC2833, else through the server.
  async sendDtmf(digits) {
    if (this.state_ !== 'in_call' || !/^[0-9*#A-D]+$/.test(digits)) return;
    const sender = this.pc_?.getSenders().find((s) => s.track?.kind === 'audio');
    if (this.config_.dtmf_mode === 'RFC2833' && sender?.dtmf?.canInsertDTMF) {
      this.verbose('Sending DTMF (RFC 2833):', { digits, duration: this.config_.dtmf_duration_ms });
      sender.dtmf.insertDTMF(digits, Math.max(40, Math.min(6000, this.config_.dtmf_duration_ms)), 70);
      return;
    }
    this.verbose('Sending DTMF through the server:', { digits, mode: this.config_.dtmf_mode });
    try {
      await this.http_.post('/api/webrtc/dtmf', { session_id: this.call_.sessionId, digits });
    } catch (err) {
      this.status_(`DTMF failed: ${err.message}`, 'error');
    }
  }

  // POST /api/doors/{door}/unlock: the door this call comes from.
  async unlock() {
    if (!this.call_?.door || !this.doors_) return;
    try {
      await this.doors_.unlock(this.call_.door);
      this.status_('Door unlocked', 'success');
    } catch (err) {
      this.status_(`Unlock failed: ${err.message}`, 'error');
    }
  }

  // Logout or page unload: end everything without waiting for the server.
  shutdown() {
    if (this.state_ !== 'idle') this.finish_('Call ended', 'info');
  }

  // --- internals ---------------------------------------------------------------------------------------------------
  reset_() {
    this.state_ = 'idle';
    this.call_ = null;
    this.pc_ = null;
    this.stream_ = null;
    this.pendingCandidates_ = null; // candidates found before the offer was accepted
    this.attempt_ = (this.attempt_ ?? 0) + 1; // async steps of an older attempt stop when this changes
  }

  // getUserMedia with the configured processing; false (and the call ended) when it failed.
  async startMedia_(attempt) {
    this.status_('Requesting microphone access...');
    await this.loadConfig();
    if (attempt !== this.attempt_) return false;
    const constraints = {
      audio: {
        echoCancellation: this.config_.echo_cancellation,
        noiseSuppression: this.config_.noise_reduction,
        autoGainControl: this.config_.auto_gain_control,
      },
      video: false,
    };
    this.verbose('Requesting user media...', constraints);
    let stream;
    try {
      if (!this.media_?.getUserMedia) {
        throw Object.assign(new Error('this browser offers no microphone here (HTTPS needed)'), { name: 'TypeError' });
      }
      stream = await this.media_.getUserMedia(constraints);
    } catch (err) {
      console.warn('Microphone access error:', err.name, err.message);
      if (attempt === this.attempt_) await this.finish_(microphoneErrorText(err), 'error');
      return false;
    }
    if (attempt !== this.attempt_) {
      for (const t of stream.getTracks()) t.stop();
      return false;
    }
    this.stream_ = stream;
    for (const track of stream.getAudioTracks()) track.enabled = !this.muted_;
    const audioTracks = stream.getAudioTracks().map((t) => t.label);
    this.verbose('User media granted:', { streamId: stream.id, audioTracks });
    this.status_('Microphone access granted', 'success');
    return true;
  }

  // --- reachability ------------------------------------------------------------------------------------------------
  // A standing session makes this browser a phone that ring groups can ring ("webrtc:<user>" members): created when
  // the app connects its events, replaced when the server times it out, closed on logout. False when the server has
  // no browser phone.
  listen() {
    if (this.listening_) return this.listenPromise_ ?? Promise.resolve(true);
    this.listening_ = true;
    this.listenPromise_ = this.openStanding_(++this.listenGen_);
    return this.listenPromise_;
  }

  // gen: a stopListening() or a newer listen() meanwhile makes this session surplus.
  async openStanding_(gen) {
    try {
      const r = await this.http_.post('/api/webrtc/session', { extension: '' });
      if (!this.listening_ || gen !== this.listenGen_) {
        await this.http_.del(`/api/webrtc/session/${encodeURIComponent(r.session.session_id)}`).catch(() => {});
        return false;
      }
      this.standing_ = r.session.session_id;
      if (r.config) this.config_ = { ...this.config_, ...r.config };
      this.iceServers_ = r.ice_servers ?? this.iceServers_;
      this.verbose('Standing session for incoming calls:', { sessionId: this.standing_ });
      return true;
    } catch (err) {
      if (gen === this.listenGen_) this.listening_ = false;
      this.verbose('No standing session (incoming calls off):', err.message);
      return false;
    }
  }

  // Resolves once the standing session is closed on the server (also one whose creation was in flight).
  stopListening() {
    const id = this.standing_;
    const pending = this.listenPromise_;
    this.listening_ = false;
    this.listenGen_ += 1;
    this.standing_ = null;
    this.listenPromise_ = null;
    this.relisten_ = false;
    const closed = id ? this.http_.del(`/api/webrtc/session/${encodeURIComponent(id)}`).catch(() => {}) : null;
    return Promise.all([pending?.catch(() => false), closed]).then(() => undefined);
  }

  // Door mode: closes the standing session for the call and remembers to reopen it (finish_). False when the call
  // was ended meanwhile (the session is then reopened here).
  async pauseListening_(attempt) {
    const wasListening = this.listening_;
    await this.stopListening();
    if (attempt !== this.attempt_) {
      if (wasListening) this.listen();
      return false;
    }
    this.relisten_ = wasListening;
    this.verbose('Standing session closed while this tab is the door:', { reopen: wasListening });
    return true;
  }

  async createSession_() {
    const url = '/api/webrtc/session';
    this.verbose('Creating WebRTC session:', { url, extension: '' });
    const r = await this.http_.post(url, { extension: '' });
    if (r.config) this.config_ = { ...this.config_, ...r.config };
    this.iceServers_ = r.ice_servers ?? this.iceServers_;
    this.verbose('Session created successfully:', { sessionId: r.session?.session_id, iceServers: r.ice_servers });
    return r.session;
  }

  // RTCPeerConnection, local offer, POST offer, remote answer; then trickle the candidates.
  async negotiate_(attempt) {
    const configuration = {
      iceServers: this.iceServers_?.iceServers ?? [],
      iceTransportPolicy: this.iceServers_?.iceTransportPolicy ?? 'all',
    };
    const pc = new this.Peer_(configuration);
    this.pc_ = pc;
    this.pendingCandidates_ = [];
    this.verbose('RTCPeerConnection created with configuration:', configuration);
    for (const track of this.stream_.getTracks()) pc.addTrack(track, this.stream_);
    pc.onicecandidate = (e) => {
      if (pc !== this.pc_) return;
      this.verbose('ICE candidate event:', { candidate: e.candidate });
      const candidate = e.candidate ? e.candidate.toJSON() : null;
      if (this.pendingCandidates_) this.pendingCandidates_.push(candidate);
      else this.sendCandidate_(candidate);
    };
    pc.ontrack = (e) => {
      if (pc !== this.pc_) return;
      this.verbose('Remote track received:', { kind: e.track.kind, id: e.track.id });
      this.playRemote_(e.streams[0] ?? new MediaStream([e.track]));
    };
    pc.oniceconnectionstatechange = () => {
      this.verbose('ICE connection state:', pc.iceConnectionState);
      if (pc === this.pc_ && pc.iceConnectionState === 'failed') {
        console.warn('ICE connection FAILED');
        this.finish_('Connection failed: no network path to the server (ICE failed). Check firewall and TURN.', 'error');
      }
    };
    pc.onconnectionstatechange = () => {
      this.verbose('Connection state changed:', { connectionState: pc.connectionState });
      if (pc === this.pc_ && pc.connectionState === 'failed' && this.state_ !== 'idle')
        this.finish_('Connection failed: the media connection was lost.', 'error');
    };
    const offer = await pc.createOffer({ offerToReceiveAudio: true });
    await pc.setLocalDescription(offer);
    if (attempt !== this.attempt_) return;
    this.verbose('Sending SDP offer:', { sessionId: this.call_.sessionId, length: offer.sdp.length });
    const sdp = pc.localDescription.sdp;
    const r = await this.http_.post('/api/webrtc/offer', { session_id: this.call_.sessionId, sdp });
    if (attempt !== this.attempt_) return;
    this.verbose('SDP answer received:', { length: r.sdp?.length });
    await pc.setRemoteDescription({ type: 'answer', sdp: r.sdp });
    const queued = this.pendingCandidates_ ?? [];
    this.pendingCandidates_ = null;
    for (const c of queued) this.sendCandidate_(c);
  }

  sendCandidate_(candidate) {
    const sessionId = this.call_?.sessionId;
    if (!sessionId) return;
    this.http_.post('/api/webrtc/candidate', { session_id: sessionId, candidate }).catch((err) => {
      this.verbose('candidate not accepted:', err.message);
    });
  }

  playRemote_(stream) {
    if (!this.audio_) {
      this.audio_ = document.createElement('audio');
      this.audio_.autoplay = true;
      this.audio_.hidden = true;
      this.audio_.dataset.testid = 'phone-remote-audio';
      document.body.append(this.audio_);
    }
    this.audio_.srcObject = stream;
    this.audio_.volume = this.volume_;
    this.audio_.play?.().catch((e) => this.verbose('remote audio play():', e.message));
  }

  // Ends the call locally (media, peer connection) and, when `tellServer`, hangs up and closes the session there.
  async finish_(text, kind, tellServer = true) {
    const call = this.call_;
    const pc = this.pc_;
    const stream = this.stream_;
    this.ring_.stop();
    this.reset_();
    this.muted_ = false;
    if (pc) pc.close();
    for (const t of stream?.getTracks() ?? []) t.stop();
    if (this.audio_) this.audio_.srcObject = null;
    if (this.relisten_) {
      this.relisten_ = false;
      this.listen(); // the door call is over: this tab can be rung again
    }
    this.status_(text, kind);
    this.changed_();
    if (!call?.sessionId) return;
    if (tellServer && call.id) {
      await this.http_
        .post('/api/webrtc/hangup', { session_id: call.sessionId })
        .catch((e) => this.verbose('hangup:', e.message));
    }
    // Our own outgoing session is done; an incoming call's session belongs to the gateway's ringing.
    if (call.direction === 'out') {
      await this.http_
        .del(`/api/webrtc/session/${encodeURIComponent(call.sessionId)}`)
        .catch((e) => this.verbose('close:', e.message));
    }
  }

  setState_(state) {
    this.state_ = state;
    this.changed_();
  }

  status_(text, kind = 'info') {
    this.statusLog.push(text);
    console.log(`[phone] ${text}`);
    for (const fn of [...this.listeners_.status]) {
      try {
        fn({ text, kind });
      } catch (e) {
        console.error('phone status listener:', e);
      }
    }
  }

  changed_() {
    for (const fn of [...this.listeners_.change]) {
      try {
        fn(this);
      } catch (e) {
        console.error('phone change listener:', e);
      }
    }
  }
}
