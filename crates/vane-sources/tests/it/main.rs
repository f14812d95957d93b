//! The documented JSON API mappings (`examples/sources/*.json`) against
//! payloads shaped like the platforms' own.

use serde_json::json;
use vane_model::{Channel, SourceConfig};

fn config(name: &str) -> SourceConfig {
    let path = format!(
        "{}/../../examples/sources/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("{path}: {error}"));
    serde_json::from_str(&text).unwrap_or_else(|error| panic!("{path}: {error}"))
}

#[test]
fn weibo_statuses_map_to_documents() {
    let config = config("weibo");
    let payload = json!({"statuses": [
        {"idstr": "4981234567890123", "text": "小米充电宝召回了？", "created_at": "Tue Nov 24 09:30:00 +0800 2026",
         "attitudes_count": 12, "comments_count": 3, "reposts_count": 5, "is_retweet": false,
         "user": {"screen_name": "数码博主", "followers_count": 250000, "verified": true, "location": "北京"}},
        {"text": "没有 id 的微博"}
    ]});
    let (documents, rejected) =
        vane_sources::map_items(&payload, config.mapping.as_ref().unwrap(), &config).unwrap();
    let post = &documents[0];
    assert_eq!(post.id.as_str(), "weibo-brand:4981234567890123");
    assert_eq!(
        (post.author.as_str(), post.followers, post.verified),
        ("数码博主", 250_000, true)
    );
    assert_eq!((post.likes, post.comments, post.shares), (12, 3, 5));
    assert_eq!(post.published_at.as_deref(), Some("2026-11-24T01:30:00Z"));
    assert_eq!(
        (post.channel, post.region.as_str()),
        (Some(Channel::Weibo), "北京")
    );
    assert_eq!(rejected.len(), 1);
    assert_eq!(rejected[0].reason, "item 1: no id at /idstr");
}

#[test]
fn wechat_articles_map_to_documents() {
    let config = config("wechat");
    let payload = json!({"data": {"next_cursor": "c2", "list": [
        {"msgid": 2247483650u64, "title": "小米发布会回顾", "content": "<p>小米今天发布了<b>新手机</b>。</p>",
         "link": "https://mp.weixin.qq.com/s/abc", "account_name": "科技日报", "read_num": "10万+",
         "like_num": 321, "publish_time": 1795000000}
    ]}});
    let (documents, rejected) =
        vane_sources::map_items(&payload, config.mapping.as_ref().unwrap(), &config).unwrap();
    // "10万+" is no count: the item is rejected with the field named
    assert!(documents.is_empty());
    assert_eq!(
        rejected[0].reason,
        "item 0: views at /read_num is not a count: `10万+`"
    );
    let payload = json!({"data": {"list": [
        {"msgid": 2247483650u64, "title": "小米发布会回顾", "content": "<p>小米今天发布了<b>新手机</b>。</p>",
         "link": "https://mp.weixin.qq.com/s/abc", "account_name": "科技日报", "read_num": 100001,
         "like_num": 321, "publish_time": 1795000000}
    ]}});
    let (documents, _) =
        vane_sources::map_items(&payload, config.mapping.as_ref().unwrap(), &config).unwrap();
    let article = &documents[0];
    assert_eq!(article.id.as_str(), "wechat-articles:2247483650");
    assert_eq!(article.body, "小米今天发布了新手机。");
    assert_eq!((article.views, article.likes), (100_001, 321));
    assert_eq!(
        article.published_at.as_deref(),
        Some("2026-11-18T11:06:40Z")
    );
}

#[test]
fn douyin_videos_map_to_documents() {
    let config = config("douyin");
    let payload = json!({"data": {"cursor": 20, "aweme_list": [
        {"aweme_id": "7301234567890", "desc": "小米SU7 开箱 #小米汽车", "share_url": "https://www.douyin.com/video/7301234567890",
         "create_time": 1795000000, "author": {"nickname": "车评人", "follower_count": 1200000, "is_verified": 1},
         "statistics": {"digg_count": 5400, "comment_count": 320, "share_count": 88, "play_count": 230000}}
    ]}});
    let (documents, rejected) =
        vane_sources::map_items(&payload, config.mapping.as_ref().unwrap(), &config).unwrap();
    assert!(rejected.is_empty());
    let video = &documents[0];
    assert_eq!(video.id.as_str(), "douyin-videos:7301234567890");
    assert_eq!(
        (video.followers, video.verified, video.views),
        (1_200_000, true, 230_000)
    );
    assert_eq!(video.channel, Some(Channel::Douyin));
    assert_eq!(video.effective_site(), "douyin.com");
}
