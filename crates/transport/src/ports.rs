//! Port classes (IANA, RFC 6335) and an embedded registry of common services.

use layers_osi::Text;

/// The IANA class of a port number.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PortClass {
    /// 0-1023: system (well-known) ports, assigned by IANA (HTTP 80).
    WellKnown,
    /// 1024-49151: user (registered) ports.
    Registered,
    /// 49152-65535: dynamic / private ports, what an OS picks for a client.
    Dynamic,
}

impl PortClass {
    /// The class of `port`.
    pub fn of(port: u16) -> PortClass {
        match port {
            0..=1023 => PortClass::WellKnown,
            1024..=49151 => PortClass::Registered,
            _ => PortClass::Dynamic,
        }
    }

    /// Its name and range.
    pub fn describe(self) -> Text {
        match self {
            PortClass::WellKnown => Text::new("well-known (0-1023)", "知名端口(0-1023)"),
            PortClass::Registered => Text::new("registered (1024-49151)", "注册端口(1024-49151)"),
            PortClass::Dynamic => Text::new(
                "dynamic/private (49152-65535)",
                "动态/私有端口(49152-65535)",
            ),
        }
    }

    /// What the course's text calls it: 固定端口 (0-1023), 动态端口 (1024-49151), and the
    /// third class some texts add, 私有端口 (the rarely used high ports).
    pub fn course_note(self) -> Option<Text> {
        Some(match self {
            PortClass::WellKnown => Text::new(
                "the course calls 0-1023 \"fixed ports\" (固定端口): assigned centrally, as HTTP's 80",
                "课程称 0-1023 为「固定端口」:集中管理、统一指派,如 HTTP 的 80",
            ),
            PortClass::Registered => Text::new(
                "the course calls 1024-49151 \"dynamic ports\" (动态端口); IANA calls them registered",
                "课程把 1024-49151 称为「动态端口」;IANA 称之为注册端口",
            ),
            PortClass::Dynamic => Text::new(
                "the course's third class, \"private ports\" (私有端口); IANA reserves it for dynamic use: the ports an OS picks for a client",
                "课程提到的第三类「私有端口」;IANA 把它留作动态使用:操作系统为客户端挑选的端口",
            ),
        })
    }

    /// What is special about `port` itself: port 0 is reserved (IANA); a program that binds
    /// to it asks the OS for any free port.
    pub fn reserved_note(port: u16) -> Option<Text> {
        (port == 0).then(|| {
            Text::new(
                "port 0 is reserved (IANA): no service uses it, and binding to port 0 asks the operating system for a free port instead",
                "端口 0 是保留端口(IANA):没有服务使用它;绑定端口 0 表示请操作系统分配一个空闲端口",
            )
        })
    }
}

/// A service on a port.
#[derive(Debug, PartialEq, Eq)]
pub struct Service {
    /// The port.
    pub port: u16,
    /// Its IANA service name (`http`).
    pub name: &'static str,
    /// Other names it is looked up by (`www`, `dns`).
    pub aliases: &'static [&'static str],
    /// It runs over TCP.
    pub tcp: bool,
    /// It runs over UDP.
    pub udp: bool,
    /// What it is.
    pub about: Text,
}

macro_rules! service {
    ($port:expr, $name:expr, [$($alias:expr),*], $tcp:expr, $udp:expr, $en:expr, $zh:expr) => {
        Service { port: $port, name: $name, aliases: &[$($alias),*], tcp: $tcp, udp: $udp, about: Text::new($en, $zh) }
    };
}

/// The services `layers` knows by name, by port.
pub static SERVICES: &[Service] = &[
    service!(20, "ftp-data", [], true, false, "FTP data", "FTP 数据"),
    service!(21, "ftp", [], true, false, "FTP control", "FTP 控制"),
    service!(22, "ssh", [], true, false, "Secure Shell", "安全外壳 SSH"),
    service!(
        23,
        "telnet",
        [],
        true,
        false,
        "Telnet remote terminal",
        "Telnet 远程终端"
    ),
    service!(
        25,
        "smtp",
        [],
        true,
        false,
        "SMTP: sending mail",
        "SMTP:发送邮件"
    ),
    service!(
        53,
        "domain",
        ["dns"],
        true,
        true,
        "DNS: names to addresses",
        "DNS:域名解析"
    ),
    service!(
        67,
        "bootps",
        ["dhcp", "dhcp-server"],
        false,
        true,
        "DHCP server",
        "DHCP 服务器"
    ),
    service!(
        68,
        "bootpc",
        ["dhcp-client"],
        false,
        true,
        "DHCP client",
        "DHCP 客户端"
    ),
    service!(
        69,
        "tftp",
        [],
        false,
        true,
        "Trivial FTP",
        "简单文件传输 TFTP"
    ),
    service!(
        80,
        "http",
        ["www"],
        true,
        false,
        "HTTP: the web",
        "HTTP:网页"
    ),
    service!(
        110,
        "pop3",
        ["pop"],
        true,
        false,
        "POP3: fetching mail",
        "POP3:收取邮件"
    ),
    service!(
        123,
        "ntp",
        [],
        false,
        true,
        "Network Time Protocol",
        "网络时间协议"
    ),
    service!(
        143,
        "imap",
        [],
        true,
        false,
        "IMAP mail access",
        "IMAP 邮件访问"
    ),
    service!(
        161,
        "snmp",
        [],
        false,
        true,
        "SNMP: managing devices",
        "SNMP:设备管理"
    ),
    service!(
        162,
        "snmptrap",
        ["snmp-trap"],
        false,
        true,
        "SNMP traps",
        "SNMP 陷阱"
    ),
    service!(389, "ldap", [], true, true, "LDAP directory", "LDAP 目录"),
    service!(
        443,
        "https",
        [],
        true,
        true,
        "HTTP over TLS (and QUIC over UDP)",
        "基于 TLS 的 HTTP(UDP 上为 QUIC)"
    ),
    service!(
        445,
        "microsoft-ds",
        ["smb"],
        true,
        false,
        "SMB file sharing",
        "SMB 文件共享"
    ),
    service!(514, "syslog", [], false, true, "syslog", "系统日志"),
    service!(
        587,
        "submission",
        [],
        true,
        false,
        "mail submission",
        "邮件提交"
    ),
    service!(
        993,
        "imaps",
        [],
        true,
        false,
        "IMAP over TLS",
        "基于 TLS 的 IMAP"
    ),
    service!(
        995,
        "pop3s",
        [],
        true,
        false,
        "POP3 over TLS",
        "基于 TLS 的 POP3"
    ),
    service!(1080, "socks", [], true, false, "SOCKS proxy", "SOCKS 代理"),
    service!(
        1433,
        "ms-sql-s",
        ["mssql"],
        true,
        false,
        "Microsoft SQL Server",
        "微软 SQL Server"
    ),
    service!(3306, "mysql", [], true, false, "MySQL", "MySQL 数据库"),
    service!(
        3389,
        "ms-wbt-server",
        ["rdp"],
        true,
        false,
        "Remote Desktop",
        "远程桌面"
    ),
    service!(
        4000,
        "qq-client",
        [],
        false,
        true,
        "the course's note: old QQ clients sent from UDP 4000",
        "课程注:早期 QQ 客户端从 UDP 4000 发送"
    ),
    service!(
        5432,
        "postgresql",
        ["postgres"],
        true,
        false,
        "PostgreSQL",
        "PostgreSQL 数据库"
    ),
    service!(6379, "redis", [], true, false, "Redis", "Redis"),
    service!(
        8000,
        "qq",
        [],
        false,
        true,
        "the course's note: old QQ servers listened on UDP 8000",
        "课程注:早期 QQ 服务器监听 UDP 8000"
    ),
    service!(
        8080,
        "http-alt",
        [],
        true,
        false,
        "alternative HTTP",
        "备用 HTTP"
    ),
];

/// A service in IANA's registry (the Service Name and Transport Protocol Port Number
/// Registry, RFC 6335), as `data/iana-services.tsv` holds it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Registered {
    /// The port.
    pub port: u16,
    /// IANA's service name.
    pub name: &'static str,
    /// Assigned for TCP.
    pub tcp: bool,
    /// Assigned for UDP.
    pub udp: bool,
    /// IANA's description (English only).
    pub description: &'static str,
}

/// IANA's registry, embedded: about 6,200 named services (see `data/README.md`).
static REGISTRY_TSV: &str = include_str!("../data/iana-services.tsv");

/// Every named service of IANA's registry, sorted by port.
pub fn registry() -> &'static [Registered] {
    static PARSED: std::sync::OnceLock<Vec<Registered>> = std::sync::OnceLock::new();
    PARSED.get_or_init(|| {
        REGISTRY_TSV
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| {
                let mut cols = l.splitn(4, '\t');
                let port = cols.next()?.parse().ok()?;
                let transports = cols.next()?;
                let name = cols.next()?;
                let description = cols.next().unwrap_or_default();
                let has = |t: &str| transports.split(',').any(|x| x == t);
                Some(Registered {
                    port,
                    name,
                    tcp: has("tcp"),
                    udp: has("udp"),
                    description,
                })
            })
            .collect()
    })
}

/// IANA's services on `port`.
pub fn registered_on(port: u16) -> &'static [Registered] {
    let all = registry();
    let start = all.partition_point(|r| r.port < port);
    let end = all.partition_point(|r| r.port <= port);
    all.get(start..end).unwrap_or_default()
}

/// The port of the service named `name`: the services `layers` describes first (with their
/// aliases, such as dns), then IANA's registry (case-insensitive).
pub fn service_port(name: &str) -> Option<u16> {
    let wanted = name.trim();
    port_by_name(wanted).map(|s| s.port).or_else(|| {
        registry()
            .iter()
            .find(|r| r.name.eq_ignore_ascii_case(wanted))
            .map(|r| r.port)
    })
}

/// A name for `port` over TCP (`tcp`) or UDP, as tcpdump takes it from /etc/services: the
/// services `layers` describes first, then IANA's registry.
pub fn service_name(port: u16, tcp: bool) -> Option<&'static str> {
    let on = |t: bool, u: bool| if tcp { t } else { u };
    port_services(port)
        .into_iter()
        .find(|s| on(s.tcp, s.udp))
        .map(|s| s.name)
        .or_else(|| {
            registered_on(port)
                .iter()
                .find(|r| on(r.tcp, r.udp))
                .map(|r| r.name)
        })
}

/// The services on `port`.
pub fn port_services(port: u16) -> Vec<&'static Service> {
    SERVICES.iter().filter(|s| s.port == port).collect()
}

/// The service named `name` or by an alias (case-insensitive).
pub fn port_by_name(name: &str) -> Option<&'static Service> {
    let wanted = name.trim();
    SERVICES.iter().find(|s| {
        s.name.eq_ignore_ascii_case(wanted)
            || s.aliases.iter().any(|a| a.eq_ignore_ascii_case(wanted))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_at_their_edges() {
        assert_eq!(PortClass::of(0), PortClass::WellKnown);
        assert_eq!(PortClass::of(1023), PortClass::WellKnown);
        assert_eq!(PortClass::of(1024), PortClass::Registered);
        assert_eq!(PortClass::of(49151), PortClass::Registered);
        assert_eq!(PortClass::of(49152), PortClass::Dynamic);
        assert_eq!(PortClass::of(65535), PortClass::Dynamic);
        assert!(PortClass::Registered.course_note().is_some());
    }

    #[test]
    fn every_service_the_seed_names_is_known_on_the_right_transport() {
        for (name, port, tcp, udp) in [
            ("ftp", 21, true, false),
            ("telnet", 23, true, false),
            ("smtp", 25, true, false),
            ("http", 80, true, false),
            ("pop3", 110, true, false),
            ("dns", 53, true, true),
            ("snmp", 161, false, true),
            ("qq", 8000, false, true),
        ] {
            let s = port_by_name(name).unwrap_or_else(|| panic!("{name}"));
            assert_eq!((s.port, s.tcp, s.udp), (port, tcp, udp), "{name}");
        }
        assert!(port_by_name("gopher-over-carrier-pigeon").is_none());
    }

    #[test]
    fn the_iana_registry_is_embedded_whole_and_sorted() {
        let all = registry();
        assert!(all.len() > 6000, "{}", all.len());
        assert!(all.windows(2).all(|w| w[0].port <= w[1].port));
        let https = registered_on(443);
        assert!(
            https.iter().any(|r| r.name == "https" && r.tcp && r.udp),
            "{https:?}"
        );
        assert_eq!(service_port("imaps"), Some(993));
        assert_eq!(service_port("DNS"), Some(53), "the course's alias first");
        assert_eq!(service_port("xmpp-client"), Some(5222));
        assert_eq!(service_name(5432, true), Some("postgresql"));
        assert_eq!(service_name(993, true), Some("imaps"));
        assert_eq!(service_name(9, false), Some("discard"));
        assert!(registered_on(4).is_empty(), "unassigned");
        assert!(registered_on(65535).is_empty());
    }

    /// Checked against the system's /etc/services (netbase, kept from IANA's registry by
    /// another project): its names lead to the same ports here.
    #[test]
    fn the_registry_agrees_with_etc_services() {
        let Ok(text) = std::fs::read_to_string("/etc/services") else {
            use std::io::Write;
            // Straight to the terminal: the test harness would swallow println!.
            let _ = writeln!(
                std::io::stderr(),
                "skipped: no /etc/services on this machine to compare with"
            );
            return;
        };
        let (mut same, mut known) = (0, 0);
        for line in text.lines() {
            let mut cols = line.split('#').next().unwrap_or("").split_whitespace();
            let (Some(name), Some(port)) = (cols.next(), cols.next()) else {
                continue;
            };
            let Some((port, proto)) = port.split_once('/') else {
                continue;
            };
            let (Ok(port), true) = (port.parse::<u16>(), proto == "tcp" || proto == "udp") else {
                continue;
            };
            if registry().iter().any(|r| r.name == name) {
                known += 1;
                if registered_on(port).iter().any(|r| r.name == name) {
                    same += 1;
                }
            }
        }
        assert!(
            known > 150,
            "{known} of /etc/services' names are in the registry"
        );
        assert_eq!(same, known, "every name both know is on the same port");
    }

    #[test]
    fn names_are_unique_and_the_table_is_sorted() {
        for (i, a) in SERVICES.iter().enumerate() {
            for b in &SERVICES[i + 1..] {
                assert_ne!(a.name, b.name);
                assert!(a.port <= b.port, "{} before {}", a.name, b.name);
            }
        }
    }
}
