//! Graceful shutdown: a request in flight when the shutdown signal comes still gets its
//! answer, then the server stops; new connections are refused.

use std::time::Duration;

use chorus_server::{router, serve, ServerConfig};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use super::support::sqlite_store;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_in_flight_finishes_after_the_signal() {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let app = router(sqlite_store(), ServerConfig::default());
    let server = tokio::spawn(serve(listener, app, async {
        let _ = stopped.await;
    }));

    let body = r#"{"id":"late","text":"The harbour master of Port Ellery said on Friday that the pier will reopen."}"#;
    let (head, tail) = body.split_at(20);
    let mut conn = TcpStream::connect(addr).await.expect("connect");
    let request = format!(
        "POST /articles HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{head}",
        body.len()
    );
    conn.write_all(request.as_bytes()).await.expect("write head");
    tokio::time::sleep(Duration::from_millis(200)).await;

    stop.send(()).expect("signal");
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(!server.is_finished(), "the server stopped with a request in flight");
    conn.write_all(tail.as_bytes()).await.expect("write tail");
    let mut reply = String::new();
    conn.read_to_string(&mut reply).await.expect("read reply");
    assert!(reply.starts_with("HTTP/1.1 202"), "{reply}");
    assert!(reply.contains("\"added\":1"), "{reply}");

    let done = tokio::time::timeout(Duration::from_secs(10), server).await;
    assert!(matches!(done, Ok(Ok(Ok(())))), "the server did not stop: {done:?}");
    assert!(TcpStream::connect(addr).await.is_err(), "still accepting after shutdown");
}
