"""Text for benchmark data (seed_bench): a government vocabulary drawn with Zipf-distributed
frequencies, so that some words are in most documents (工作, 通知) and others in few (低保, 征地),
as in a real county's archive; and the titles, bodies and attachment text built from it."""

import bisect
import io
import itertools
import zipfile
from xml.sax.saxutils import escape

# The words most documents use, most frequent first; they head the Zipf ranking in this order.
COMMON = """
工作 加强 推进 落实 建设 管理 服务 发展 实施 开展 组织 单位 部门 要求 有关 全县 群众 机制 制度 规定
政策 项目 资金 保障 安全 责任 监督 检查 乡镇 社会 经济 重点 任务 措施 情况 问题 体系 标准 规范 质量
工作方案 考核 完善 提升 强化 深化 统筹 协调 创新 改革 基层 农村 城乡 居民 企业 人员 信息 公开 宣传 培训
"""

# Nouns and noun phrases of county government work, by field; with MORE_NOUNS and the compounds of
# QUALIFIERS and HEADS, shuffled into the Zipf tail.
NOUNS = """
低保 医保 征地 补贴 义务教育 招生 特困人员 临时救助 城乡居民 医疗保险 养老保险 失业保险 工伤保险 生育保险
最低生活保障 基本养老金 医疗救助 教育救助 住房救助 就业救助 残疾人 两项补贴 孤儿 事实无人抚养儿童 留守儿童
困境儿童 高龄津贴 养老机构 居家养老 日间照料中心 敬老院 老年食堂 殡葬管理 婚姻登记 社会组织 慈善捐赠
社区治理 村民自治 村务公开 红白理事会 移风易俗 征地补偿 安置补助费 地上附着物 青苗补偿 被征地农民
社会保障费 土地征收 征收公告 补偿方案 国有土地 房屋征收 征收决定 评估机构 产权调换 货币补偿 保障性住房
公共租赁住房 廉租住房 棚户区改造 老旧小区改造 住房公积金 农村危房改造 危房鉴定 抗震改造 农房建设
耕地保护 永久基本农田 高标准农田 土地整治 增减挂钩 国土空间规划 村庄规划 详细规划 用地审批 建设用地
不动产登记 地质灾害 矿产资源 林地 草原 湿地 自然保护地 林长制 河长制 湖长制 水资源 水土保持 饮水安全
农田水利 防汛抗旱 水库 堤防 灌区 小流域治理 生态环境 大气污染 水污染 土壤污染 固体废物 危险废物
环境影响评价 排污许可 生态补偿 秸秆禁烧 秸秆综合利用 畜禽养殖 面源污染 农村人居环境 厕所革命 垃圾分类
污水处理 黑臭水体 扬尘治理 噪声污染 碳达峰 节能减排 新能源 光伏发电 清洁取暖 天然气 电网改造
重大建设项目 政府投资项目 项目审批 可行性研究 初步设计 招标投标 政府采购 公共资源交易 产权交易
工程建设 施工许可 竣工验收 质量安全 安全生产 隐患排查 风险分级管控 危险化学品 非煤矿山 烟花爆竹
消防安全 道路交通安全 校园安全 食品安全 药品安全 特种设备 建筑施工 燃气安全 应急预案 应急演练
应急救援 自然灾害 救灾物资 受灾群众 灾后重建 森林防火 气象灾害 地震 洪涝 干旱 冰雪灾害 避难场所
财政预算 财政决算 部门预算 部门决算 一般公共预算 政府性基金预算 国有资本经营预算 社会保险基金预算
三公经费 转移支付 专项资金 债券资金 政府债务 绩效评价 预算绩效管理 国库集中支付 非税收入 行政事业性收费
税收管理 减税降费 增值税 个人所得税 企业所得税 留抵退税 纳税服务 发票 税收优惠 营商环境 市场主体
个体工商户 小微企业 民营经济 招商引资 产业园区 工业园区 开发区 重点产业 特色产业 农业产业化 龙头企业
农民专业合作社 家庭农场 种粮大户 耕地地力保护补贴 农机购置补贴 种粮补贴 农业保险 生猪 粮食生产
粮食收购 储备粮 农产品质量安全 动物防疫 植物检疫 种子 化肥 农药 乡村振兴 脱贫攻坚 巩固拓展
防止返贫 监测对象 帮扶措施 驻村工作队 衔接资金 扶贫项目 消费帮扶 易地扶贫搬迁 产业扶贫 就业帮扶
公益性岗位 职业技能培训 创业担保贷款 一次性创业补贴 就业见习 高校毕业生 农民工 返乡创业 劳务输出
欠薪 工资支付 劳动合同 劳动仲裁 劳动保障监察 人力资源市场 事业单位招聘 公务员 职称评审 人才引进
教育 学前教育 幼儿园 中小学 学区 招生范围 学籍 资助 家庭经济困难学生 营养改善计划 校车 教师招聘
教师培训 课后服务 双减 校外培训机构 职业教育 特殊教育 控辍保学 教育督导 学校建设 薄弱学校 教育经费
医疗卫生 公立医院 乡镇卫生院 村卫生室 家庭医生 签约服务 基本公共卫生服务 疫苗接种 传染病防控
慢性病 妇幼保健 健康体检 医疗服务价格 药品集中采购 医保基金 定点医药机构 异地就医 门诊统筹 大病保险
参保缴费 医保目录 医疗保障待遇 健康扶贫 爱国卫生 卫生城市 献血 无偿献血 计划生育 奖励扶助 人口监测
公共文化服务 文化站 农家书屋 图书馆 文化馆 博物馆 非物质文化遗产 文物保护 广播电视 应急广播 全民健身
体育场地 体育赛事 旅游 景区 乡村旅游 文化市场 出版物 新闻出版 公共法律服务 法律援助 人民调解 社区矫正
普法宣传 法治政府 行政复议 行政诉讼 行政执法 执法公示 执法全过程记录 重大执法决定法制审核 合法性审查
规范性文件 备案审查 权责清单 行政许可 行政处罚 行政强制 行政检查 行政确认 行政给付 双随机一公开
信用体系 失信惩戒 信用修复 户籍管理 户口迁移 居民身份证 出生登记 落户 居住证 流动人口 出入境
治安管理 社会治安 扫黑除恶 反电信网络诈骗 禁毒 交通秩序 车辆管理 驾驶证 城市管理 综合执法 市容市貌
违法建设 占道经营 户外广告 市政设施 城市道路 供水 排水 供热 供气 路灯 园林绿化 公园 停车场 公共交通
农村公路 客运站 物流 快递 邮政 通信基站 数字政府 政务服务 一网通办 一件事一次办 便民服务中心
政务服务中心 12345热线 政务公开 政府信息公开 依申请公开 政策解读 回应关切 政务新媒体 政府网站 政府公报
人大代表建议 政协提案 建议提案办理 重大行政决策 公众参与 专家论证 风险评估 听证 民生实事 为民办实事
统计调查 经济普查 人口普查 农业普查 国民经济 固定资产投资 社会消费品零售总额 地区生产总值 审计 审计整改
经济责任审计 国有资产 国有企业 资产处置 公务用车 办公用房 机关事务 节约型机关 档案 信访 矛盾纠纷
网格化管理 平安建设 双拥 退役军人 优抚对象 抚恤补助 烈士纪念 军人家属 民族团结 宗教事务 侨务 对台工作
妇女儿童 未成年人保护 青少年 志愿服务 新时代文明实践 精神文明建设 文明城市 诚信建设 营商环境评价
市场监管 价格监督 反垄断 知识产权 商标 专利 质量监督 计量 标准化 广告监管 消费者权益保护 网络交易
电梯 压力容器 燃气经营 成品油 粮油市场 农贸市场 冷链食品 餐饮服务 学校食堂 小作坊 食品抽检
药品零售 医疗器械 化妆品 疫苗管理 防疫物资 科技创新 高新技术企业 科技型中小企业 专利申请 技术改造
数字经济 电子商务 直播电商 外贸 招商 会展 统计数据 年度计划 中长期规划 十四五规划 十五五规划 专项规划
县域经济 城镇化 新型城镇化 美丽乡村 和美乡村 特色小镇 集体经济 农村集体产权 宅基地 土地承包经营权
土地流转 林权 水权 确权登记 集体经营性建设用地 村级组织 村干部 村务监督委员会 党员 基层党组织
干部队伍 作风建设 形式主义 督查 督办 约谈 问责 考核评价 目标责任 绩效考核 年度考核 述职评议
"""

MORE_NOUNS = """
城乡规划 规划许可 建设工程 用地预审 选址意见书 土地出让 土地储备 闲置土地 批而未供 违法用地 卫片执法 测绘地理信息
地名管理 门牌 界线 行政区划 村级规划 农村供水 供水管网 水质监测 水费 水价 阶梯水价 电价 燃气价格 价格听证 成本监审
收费目录 涉企收费 惠企政策 纾困 稳岗返还 社保补贴 培训补贴 技能人才 工匠 人才公寓 人才补贴 博士后 大学生村官 三支一扶
西部计划 征兵 兵役登记 民兵 国防教育 人民防空 防空警报 拥军优属 退役士兵 安置 军休 烈士褒扬 光荣院 优待证 帮扶援助
婚育 托育 婴幼儿照护 儿童福利 未成年人救助保护 流浪乞讨人员 救助管理站 精神障碍 康复 残疾人就业 残疾人证 无障碍设施
助残 扶残 盲人按摩 特殊困难老人 探访关爱 养老服务补贴 护理补贴 长期护理保险 医养结合 康养 老年大学 老年协会
社区服务 物业管理 业主委员会 住宅专项维修资金 商品房 预售许可 房地产市场 房屋租赁 住房租赁 房屋安全 自建房 燃气管道
城市更新 海绵城市 地下管廊 道路改造 桥梁 雨污分流 城市内涝 环卫 公厕 垃圾中转站 渣土 建筑垃圾 餐厨垃圾 再生资源
工业固废 清洁生产 绿色工厂 环保督察 信访件 突出环境问题 空气质量 优良天数 细颗粒物 臭氧 水质 断面 饮用水水源地 入河排污口
河道 采砂 河湖四乱 水域岸线 取水许可 节水 用水总量 农业水价 小型水库 病险水库 水毁工程 山洪 防汛物资 抢险队伍 转移避险
应急物资储备 应急广播 预警信息 气象服务 人工影响天气 防雷 地震监测 应急管理 安全培训 特种作业 安全评价 安全标准化
重大危险源 尾矿库 冶金工贸 有限空间 粉尘涉爆 涉氨制冷 钢结构 脚手架 深基坑 起重机械 燃气用户 瓶装液化气 电动自行车
充电设施 高层建筑 消防通道 微型消防站 九小场所 人员密集场所 文物安全 旅游安全 节假日 春运 暑运 学生资助 助学贷款
学位 学区划分 入学登记 随迁子女 寄宿制学校 教师编制 乡村教师 支教 教师资格 中考 高考 招生计划 民办学校 普惠性幼儿园
校舍 食堂 饮用水 近视防控 心理健康 体质健康 研学 劳动教育 家校共育 家庭教育 社区教育 老年教育 职业培训 技工学校
医联体 医共体 分级诊疗 县域医疗 急救 120 院前急救 血站 卫生监督 职业病 放射卫生 饮用水卫生 公共场所卫生 健康教育
中医药 中医馆 基本药物 短缺药品 医疗废物 医疗纠纷 医疗质量 院感 护理 预防接种 适龄儿童 老年人体检 高血压 糖尿病 严重精神障碍
结核病 艾滋病 狂犬病 鼠疫 布病 包虫病 地方病 碘缺乏 爱卫 病媒生物 控烟 健康县城 健康村 计生特殊家庭 独生子女 奖扶
特扶 出生人口 人口老龄化 生育支持 婚前检查 孕前检查 两癌筛查 新生儿筛查 出生医学证明 死亡医学证明 殡葬改革 公益性公墓
文化惠民 送戏下乡 电影放映 文化广场 群众文化 文艺演出 文化产业 文旅融合 红色旅游 研学旅游 民宿 农家乐 旅游厕所 A级景区
导游 旅行社 星级饭店 文物普查 古村落 传统村落 历史建筑 革命文物 非遗传承人 地方志 年鉴 档案开放 档案数字化 史志
体育公园 健身步道 社会体育指导员 体育彩票 全民健身日 运动会 青少年体育 竞技体育 体育产业 农民体育 广播电视户户通 融媒体中心
网络安全 数据安全 个人信息保护 政务数据 数据共享 电子证照 电子印章 政务云 信息化项目 智慧城市 数字乡村 5G 宽带 物联网
统计执法 统计造假 普查员 抽样调查 住户调查 价格调查 农产品价格 物价 居民消费价格 就业人员 城镇登记失业率 收入 可支配收入
财政收入 税收收入 财政支出 民生支出 三保 库款 暂付款 预算调整 预算公开 决算公开 政府采购意向 采购合同 中标公告 成交公告
政府和社会资本合作 特许经营 专项债券 一般债券 再融资债券 隐性债务 国企改革 国资监管 平台公司 融资担保 小额贷款 普惠金融
金融风险 非法集资 防范非法集资 农村信用 信用村 信用户 惠农贷 保险理赔 政策性保险 森林保险 农房保险 巨灾保险
"""

# Qualifiers and heads that make the compounds of 公文 (农村公路, 县级财政, 重点项目 …).
QUALIFIERS = "县级 乡镇 村级 城区 农村 城镇 重点 基层 公共 社区 县直 全县 年度 季度 专项 综合 区域 行业 城乡 农业 工业 民生 生态 应急 公益 集体 国有 民营 省级 市级"
HEADS = """设施 项目 资金 企业 单位 部门 机构 人员 队伍 场所 道路 学校 医院 市场 产业 服务 经费 补助 标准 计划 规划 台账 名单
清单 目录 档案 数据 平台 网络 体系 机制 制度 责任 考核 督查 检查 监测 预警 评估 统计 调查 培训 宣传 改革 建设"""

# Verbs and verb phrases, most in two characters as the 公文 style has them.
VERBS = """
贯彻 执行 部署 安排 研究 制定 印发 发布 公布 公示 公告 通报 报送 审核 审批 批复 备案 核查 核实 调查
摸排 排查 整治 整改 治理 清理 规范 优化 调整 提高 降低 扩大 增加 减少 健全 建立 构建 培育 扶持 支持
鼓励 引导 推动 促进 带动 保护 维护 保持 巩固 拓展 衔接 对接 衔接落实 督促 指导 帮扶 服务 办理 受理
登记 申报 申请 评审 评估 评价 验收 监测 预警 处置 应对 救助 补助 补偿 安置 发放 兑现 拨付 使用
管理 监管 检查 抽查 巡查 督查 考核 奖励 表彰 处罚 查处 纠正 问责 追责 通报批评 约谈 宣传 宣讲 培训
动员 组织 协调 配合 联动 共享 整合 统筹 谋划 实施 推行 试点 推广 总结 提炼 报告 反馈 回应 答复
解读 征求 听取 吸纳 公开 发布实施 废止 修订 修改 延续 停止 暂停 恢复 开通 上线 启用 建成 投入使用
"""

# Set phrases of four characters, the 公文's connective tissue; 明确责任 among them.
PHRASES = """
明确责任 压实责任 落到实处 统筹推进 协同推进 扎实推进 稳步推进 有序推进 全面推进 加快推进 持续推进
高度重视 精心组织 周密部署 狠抓落实 真抓实干 务求实效 取得实效 见到实效 久久为功 常抓不懈 齐抓共管
分工负责 各司其职 密切配合 形成合力 上下联动 条块结合 标本兼治 综合施策 精准施策 因地制宜 分类指导
突出重点 补齐短板 强弱项 堵漏洞 守底线 防风险 保稳定 促发展 惠民生 暖民心 聚民力 办实事 解难题
以人民为中心 群众满意 群众获得感 社会关切 热点难点 急难愁盼 依法依规 公开透明 公平公正 规范有序
严格把关 严格执行 严肃处理 从严从实 从快从严 立行立改 举一反三 建章立制 长效机制 闭环管理 动态管理
清单管理 台账管理 挂图作战 销号管理 定期调度 跟踪问效 督查督办 考核问责 表扬先进 鞭策后进
"""

# The kinds of document a title ends in, with the Genre value each belongs to.
KINDS = [
    ("通知", "notice"), ("实施方案", "plan"), ("工作方案", "plan"), ("实施意见", "opinion"), ("意见", "opinion"),
    ("办法", "notice"), ("实施细则", "notice"), ("管理办法", "notice"), ("暂行办法", "notice"), ("工作要点", "plan"),
    ("行动计划", "plan"), ("规划", "plan"), ("应急预案", "plan"), ("指导意见", "opinion"), ("若干措施", "opinion"),
]


def zipf_cum_weights(count, exponent=1.05, offset=2.7):
    """Cumulative Zipf–Mandelbrot weights of ranks 1..count: frequency ∝ 1 / (rank + offset)^exponent."""
    return list(itertools.accumulate(1 / (rank + offset) ** exponent for rank in range(1, count + 1)))


def _words(text):
    return list(dict.fromkeys(text.split()))


class Vocabulary:
    """Draws words with Zipf frequencies; the order of the tail is fixed by `rng`, so a seed gives one text."""

    def __init__(self, rng, sentences=50_000):
        common = _words(COMMON)
        compounds = [q + h for q in QUALIFIERS.split() for h in HEADS.split()]
        tail = [word for word in _words(NOUNS + MORE_NOUNS + " ".join(compounds)) if word not in common]
        rng.shuffle(tail)
        self.nouns = common + tail
        self.verbs = _words(VERBS)
        rng.shuffle(self.verbs)
        self.phrases = _words(PHRASES)
        self.noun_weights = zipf_cum_weights(len(self.nouns))
        self.verb_weights = zipf_cum_weights(len(self.verbs))
        self.phrase_weights = zipf_cum_weights(len(self.phrases), exponent=0.8)
        self.rng = rng
        # Bodies are drawn from a pool of sentences made once: building every sentence afresh would make
        # seeding 10^6 documents several times slower, and the pool keeps the words' Zipf frequencies.
        self.sentences = [self.sentence() for _ in range(sentences)]

    def nouns_(self, k):
        return self.rng.choices(self.nouns, cum_weights=self.noun_weights, k=k)

    def verbs_(self, k):
        return self.rng.choices(self.verbs, cum_weights=self.verb_weights, k=k)

    def phrase(self):
        return self.rng.choices(self.phrases, cum_weights=self.phrase_weights, k=1)[0]

    def subject(self):
        """What a title is about: one to three nouns, e.g. 城乡居民医疗保险."""
        return "".join(dict.fromkeys(self.nouns_(self.rng.choice((1, 2, 2, 3)))))

    def sentence(self):
        rng = self.rng
        n = self.nouns_(4)
        v = self.verbs_(2)
        pattern = rng.random()
        if pattern < 0.3:
            return f"要{v[0]}{n[0]}{n[1]}，{v[1]}{n[2]}，{self.phrase()}。"
        if pattern < 0.55:
            return f"各{n[0]}要{self.phrase()}，{v[0]}{n[1]}和{n[2]}工作，确保{n[3]}{self.phrase()}。"
        if pattern < 0.75:
            return f"{v[0]}{n[0]}{n[1]}，{v[1]}{n[2]}{n[3]}。"
        if pattern < 0.9:
            return f"对{n[0]}中发现的{n[1]}问题，{v[0]}并{v[1]}，{self.phrase()}。"
        return f"{n[0]}和{n[1]}所需经费由{n[2]}{v[0]}，{self.phrase()}。"

    def paragraph(self, sentences):
        return "".join(self.rng.choices(self.sentences, k=sentences))


SALUTATIONS = ("各乡镇人民政府、街道办事处，县政府各部门：", "各有关单位：", "各乡镇（街道）、县直有关部门：")
HEADINGS = ("一、总体要求", "二、主要任务", "三、保障措施", "四、工作要求", "五、附则")


def title(vocabulary, genre, *, organisation, county, year):
    """A title of the given Genre value in the style real county sites print; returns (title, genre)."""
    rng = vocabulary.rng
    subject = vocabulary.subject()
    if genre == "notice":
        kind, kind_genre = rng.choice(KINDS)
        if rng.random() < 0.5:
            return f"{organisation}关于印发《{county}{year}年{subject}{kind}》的通知", "notice"
        if kind_genre != "notice" or rng.random() < 0.5:
            return f"关于做好{year}年{subject}工作的通知", "notice"
        return f"{organisation}关于{vocabulary.verbs_(1)[0]}{subject}{kind}的通知", "notice"
    if genre == "opinion":
        return f"{organisation}关于{vocabulary.verbs_(1)[0]}{subject}的实施意见", genre
    if genre == "plan":
        return f"{county}{year}年{subject}{rng.choice(('实施方案', '工作方案', '行动计划', '工作要点'))}", genre
    if genre == "publicity":
        return f"{organisation}{year}年第{rng.randint(1, 4)}批{subject}名单公示", genre
    if genre == "announcement":
        return f"{organisation}关于{subject}有关事项的公告", genre
    if genre == "notice_public":
        return f"关于{vocabulary.verbs_(1)[0]}{subject}的通告", genre
    if genre == "statistics":
        return f"{county}{year}年{subject}情况统计", genre
    if genre == "report":
        return f"{organisation}关于{year}年{subject}工作情况的报告", genre
    if genre == "reply":
        return f"{organisation}关于{subject}有关问题的批复", genre
    if genre == "decision":
        return f"{organisation}关于{vocabulary.verbs_(1)[0]}{subject}的决定", genre
    if genre == "interpretation":
        return f"《{county}{subject}{rng.choice(KINDS)[0]}》政策解读", genre
    if genre == "minutes":
        return f"{organisation}{subject}专题会议纪要", genre
    return f"{organisation}{year}年{subject}工作总结", genre


def body_html(vocabulary, *, paragraphs):
    """Several paragraphs under the 公文's usual headings, as the clean HTML Document.body stores."""
    rng = vocabulary.rng
    parts = [f"<p>{rng.choice(SALUTATIONS)}</p>", f"<p>{vocabulary.paragraph(2)}现就有关事项通知如下。</p>"]
    for heading in HEADINGS[: max(1, paragraphs - 1)]:
        parts.append(f"<h2>{heading}</h2>")
        parts.append(f"<p>{vocabulary.paragraph(rng.randint(3, 5))}</p>")
    return "".join(parts)


def attachment_lines(vocabulary, count):
    return [vocabulary.paragraph(2) for _ in range(count)]


def docx_bytes(lines):
    """A minimal valid Word document holding `lines`: built by hand with zipfile, since python-docx
    would make seeding tens of thousands of attachments minutes slower."""
    paragraphs = "".join(f"<w:p><w:r><w:t>{escape(line)}</w:t></w:r></w:p>" for line in lines)
    files = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
        ),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" '
            'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
            'Target="word/document.xml"/></Relationships>'
        ),
        "word/document.xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            f"<w:body>{paragraphs}</w:body></w:document>"
        ),
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            # A fixed timestamp keeps the bytes the same for the same seed.
            archive.writestr(zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0)), text)
    return out.getvalue()


def pick(cum_weights, population, rng):
    """One element of `population` by cumulative weights: random.choices without its list and checks, for the
    per-document draws."""
    return population[bisect.bisect(cum_weights, rng.random() * cum_weights[-1])]
