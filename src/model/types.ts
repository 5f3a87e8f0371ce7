/**
 * Domain types shared by every room of mntns. Plain data only: a Snapshot can be
 * serialised to JSON as is (see ../shared/notes/cli-contract.md, version 1).
 */

/** Propagation state of one mount, as the optional fields of mountinfo say it. */
export interface Propagation {
  /** Peer group this mount is a member of (`shared:N`), or null. */
  shared: number | null;
  /** Peer group this mount receives from (`master:N`), or null. */
  master: number | null;
  /** Nearest dominant peer group visible under the reader's root (`propagate_from:N`). */
  propagateFrom: number | null;
  unbindable: boolean;
}

/** The propagation a mount can be given (mount(2) MS_PRIVATE, MS_SHARED, MS_SLAVE, MS_UNBINDABLE). */
export type PropagationKind = 'private' | 'shared' | 'slave' | 'unbindable';

/** One line of /proc/PID/mountinfo, decoded (proc_pid_mountinfo(5)). */
export interface Mount {
  id: number;
  parent: number;
  major: number;
  minor: number;
  /** Root of the mount within its filesystem (field 4), unescaped. */
  root: string;
  /** Mount point relative to the reader's root (field 5), unescaped. */
  target: string;
  options: string;
  fstype: string;
  source: string;
  superOptions: string;
  propagation: Propagation;
  /** Optional fields this version does not know, kept verbatim. */
  otherFields: string[];
  /** Overmounted: another mount sits on top of it (or of one of its ancestors). */
  hidden: boolean;
  /**
   * Only for names that are not valid UTF-8 (their text has U+FFFD there): the
   * exact bytes in mountinfo's escape form — printable ASCII as is, `\` and every
   * other byte as `\NNN` octal.
   */
  targetRaw?: string;
  rootRaw?: string;
  sourceRaw?: string;
}

/** Which mountinfo mount a kernel mount event is about: its (reused) id, its parent's, its device. */
export interface MountIdentity {
  id: number;
  parent: number;
  major: number;
  minor: number;
}

/** A line of mountinfo that could not be parsed. Reported, never fatal. */
export interface MountinfoError {
  line: number;
  text: string;
  reason: string;
}

/** Where a process seems to run, from /proc/PID/cgroup. */
export interface ContainerHint {
  kind: 'docker' | 'containerd' | 'kubepods' | 'podman' | 'lxc' | 'systemd';
  /** Container id (short) or unit name. */
  name: string;
}

export interface Process {
  pid: number;
  ppid: number;
  comm: string;
  uid: number;
  cmdline: string[];
  /** Mount-namespace inode. */
  mntns: number;
  pidns: number | null;
  userns: number | null;
  /** The process's root is not its namespace's root (chroot, pivot into a subtree). */
  chrooted: boolean;
  /** Its readlink(/proc/PID/root), kept to explain `chrooted`. */
  rootPath: string | null;
  container: ContainerHint | null;
  /** Kernel thread: no cmdline, no user space. */
  kernel: boolean;
}

/** Something that keeps a mount namespace alive without a process in it. */
export type NamespaceHolder = { kind: 'bind'; path: string; /** namespace where that nsfs mount is seen */ ns: number } | { kind: 'fd'; pid: number; fd: number };

export type Severity = 'info' | 'warning';

/**
 * What a finding says. mount-leak: mounts here cross into another namespace
 * (peers, or slaves there of a group here); mount-receives: mounts made
 * elsewhere arrive here; root-shared-with-initial: the namespace's / is a peer
 * of the host's; proc-shared: a /proc another namespace's proc mount can
 * cover; private: nothing crosses in or out; mount-explosion: one source
 * mounted again and again on one target.
 */
export type FindingCode = 'mount-leak' | 'mount-receives' | 'root-shared-with-initial' | 'proc-shared' | 'private' | 'mount-explosion';

/** A diagnosis about a namespace, in words a newcomer understands. */
export interface Finding {
  severity: Severity;
  code: FindingCode;
  mount: number | null;
  /** Every mount (top of its subtree) the finding is about; `mount` is the first. */
  mounts?: number[];
  namespaces: number[];
  message: string;
  fix?: string;
}

export interface MountNamespace {
  inode: number;
  /**
   * What people call it, where that is known: a container's name (docker,
   * podman; `namespace/pod/container` for Kubernetes), a systemd unit, a lab
   * experiment's role. Absent: it goes by its most telling process.
   */
  name?: string;
  /** The initial (host) namespace; null for every namespace when that can't be told (PID 1 unreadable). */
  initial: boolean | null;
  /** pid whose mountinfo was read, or null (read via a holder or unreadable). */
  readVia: number | null;
  processes: Process[];
  holders: NamespaceHolder[];
  mounts: Mount[];
  findings: Finding[];
  /** Parse problems in this namespace's mountinfo. */
  mountErrors: MountinfoError[];
}

export interface PeerGroupMember {
  ns: number;
  mount: number;
  target: string;
}

/** A shared peer group across every namespace read, and its direct slaves. */
export interface PeerGroup {
  id: number;
  members: PeerGroupMember[];
  slaves: PeerGroupMember[];
}

export interface ScanError {
  pid: number | null;
  code: string;
  message: string;
}

export interface Snapshot {
  version: 1;
  time: string;
  namespaces: MountNamespace[];
  peerGroups: PeerGroup[];
  errors: ScanError[];
}

/**
 * Who made a mount or umount (the kernel's mount events): the process as it was
 * read the moment its event came (null fields where it was gone already), and
 * its ancestors, nearest first.
 */
export interface MountBy {
  pid: number;
  comm: string | null;
  cmdline: string[] | null;
  /** The mounter's own mount namespace. */
  ns: number | null;
  ppid: number | null;
  chain: Array<{ pid: number; comm: string }>;
}
